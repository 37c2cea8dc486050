package io.kubehop.client.cp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.testkit.Commands;
import io.kubehop.testkit.ProcessResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tar streamed into the pod: kubectl's member names (the destination's base, files only, empty
 * directories as entries, links kept), and GNU tar unpacks it as {@code tar -xmf - -C DIR} would.
 */
class TarMakerTest {

  private static final String LONG = "n".repeat(150);

  @TempDir Path dir;
  private Path source;

  @BeforeEach
  void tree() throws IOException {
    source = Files.createDirectories(dir.resolve("src"));
    Files.writeString(source.resolve("a.txt"), "alpha\n");
    Files.createDirectories(source.resolve("sub/" + LONG));
    Files.writeString(source.resolve("sub/" + LONG + "/b.txt"), "bravo\n");
    Files.createDirectories(source.resolve("empty"));
    Files.createSymbolicLink(source.resolve("link"), Path.of("a.txt"));
    Files.setPosixFilePermissions(
        source.resolve("a.txt"), PosixFilePermissions.fromString("rwxr-x---"));
    Files.setLastModifiedTime(source.resolve("a.txt"), FileTime.fromMillis(1_700_000_000_123L));
  }

  @Test
  void membersAreNamedAfterTheDestination() throws IOException {
    List<TarArchiveEntry> entries = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar()))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        entries.add(e);
      }
    }
    List<String> names = entries.stream().map(TarArchiveEntry::getName).toList();
    assertEquals(
        List.of("copy/a.txt", "copy/empty/", "copy/link", "copy/sub/" + LONG + "/b.txt"), names);
    TarArchiveEntry a = entries.get(0);
    assertEquals(0750, a.getMode());
    assertEquals(6, a.getSize());
    assertEquals(1_700_000_000_000L, a.getModTime().getTime());
    assertTrue(entries.get(1).isDirectory());
    assertTrue(entries.get(2).isSymbolicLink());
    assertEquals("a.txt", entries.get(2).getLinkName());
  }

  @Test
  void theLongNameTravelsInAPaxHeaderAsGoWritesIt() throws IOException {
    String raw = new String(tar(), StandardCharsets.ISO_8859_1);
    assertTrue(raw.contains(" path=copy/sub/" + LONG + "/b.txt\n"));
  }

  @Test
  void gnuTarUnpacksItAsTheRemoteTarWould() throws IOException {
    Path remote = Files.createDirectories(dir.resolve("remote"));
    Path archive = dir.resolve("copy.tar");
    Files.write(archive, tar());
    ProcessResult result =
        Commands.run(
            List.of("tar", "-xmf", archive.toString(), "-C", remote.toString()),
            Map.of(),
            null,
            Duration.ofSeconds(20),
            dir);
    assertEquals(0, result.exitCode(), result.toString());
    assertEquals("alpha\n", Files.readString(remote.resolve("copy/a.txt")));
    assertEquals("bravo\n", Files.readString(remote.resolve("copy/sub/" + LONG + "/b.txt")));
    assertTrue(Files.isDirectory(remote.resolve("copy/empty")));
    assertEquals(Path.of("a.txt"), Files.readSymbolicLink(remote.resolve("copy/link")));
  }

  @Test
  void contentSizeCountsRegularFilesOnly() throws IOException {
    assertEquals(12, TarMaker.contentSize(source));
    assertEquals(6, TarMaker.contentSize(source.resolve("a.txt")));
  }

  private byte[] tar() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    new TarMaker(Progress.NONE, new PrintStream(warnings, true, StandardCharsets.UTF_8))
        .write(source, "copy", bytes);
    assertEquals("", warnings.toString(StandardCharsets.UTF_8));
    assertEquals(0, bytes.size() % 10240); // whole blocks, as GNU tar writes them
    return bytes.toByteArray();
  }
}
