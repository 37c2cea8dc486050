package io.kubehop.client.pki;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Shared helpers of the PKI tests: one request shape, file snapshots, certificate reading. */
final class PkiFixture {

  static final URI SERVER = URI.create("https://127.0.0.1:6443");

  /** A run's files' bytes and times, to tell kept files from rewritten ones. */
  record FileState(byte[] bytes, FileTime modified) {
    @Override
    public boolean equals(Object o) {
      return o instanceof FileState s
          && Arrays.equals(bytes, s.bytes)
          && modified.equals(s.modified);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }

  private PkiFixture() {}

  static PkiRequest request(List<String> sans, List<String> nodes, boolean regenerate) {
    return new PkiRequest(
        SERVER, AltNames.parse(sans), nodes.stream().map(NodeAddress::parse).toList(), regenerate);
  }

  static PkiRequest request(List<String> sans, List<String> nodes) {
    return request(sans, nodes, false);
  }

  /**
   * Every file under {@code home}, after setting each one's time to an hour ago: a rewrite in the
   * next second then shows as a new time even on a file system with coarse timestamps.
   */
  static Map<Path, FileState> ageAndSnapshot(Path home) throws IOException {
    FileTime hourAgo = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
    try (Stream<Path> files = Files.walk(home)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.setLastModifiedTime(f, hourAgo);
      }
    }
    return snapshot(home);
  }

  static Map<Path, FileState> snapshot(Path home) throws IOException {
    Map<Path, FileState> state = new TreeMap<>();
    try (Stream<Path> files = Files.walk(home)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        state.put(
            home.relativize(f), new FileState(Files.readAllBytes(f), Files.getLastModifiedTime(f)));
      }
    }
    return state;
  }

  static X509Certificate cert(Path file) throws PkiException {
    return PemFiles.readCert(file);
  }
}
