package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.Pods;
import io.kubehop.e2e.support.PtySession;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Commands;
import io.kubehop.testkit.ProcessResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bin/kubehop cp} through all three hops: byte-exact both ways on each wire form, 1 GiB in a
 * 64 MiB heap, a progress line on a terminal and silence when piped, the remote tar's failure as
 * the exit code, and a pod that streams a hostile archive writing nothing outside DEST.
 *
 * <p>The hostile pod is honest about how: its container's PATH starts with a directory whose {@code
 * tar} is a script that ignores its arguments and prints a crafted archive, as a compromised image
 * could.
 *
 * <p>Both pods see the test's work directory at the same path (a hostPath volume), so the copies
 * can be checked from here; their image is debian (the host's /usr, GNU tar).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubehopCpIT {

  /** bin/kubehop's own JVM flags, plus a heap cap that a buffered gigabyte would break. */
  private static final String CLI_JAVA_OPTS =
      "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -Xmx64m -XX:+ExitOnOutOfMemoryError";

  private KubehopCluster cluster;
  private Path work;
  private Path hostileTar;

  @BeforeAll
  void up() throws IOException {
    cluster = KubehopCluster.up();
    work = Files.createTempDirectory(cluster.home(), "cp-");
    Path bin = Files.createDirectories(work.resolve("hostile-bin"));
    hostileTar = work.resolve("hostile.tar");
    Path wrapper = bin.resolve("tar");
    Files.writeString(wrapper, "#!/bin/sh\nexec cat " + hostileTar + "\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path manifest = work.resolve("pods.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: demo
        spec:
          containers:
          - name: main
            image: debian
            command: ["sleep", "3600"]
            workingDir: %1$s
            volumeMounts:
            - {name: work, mountPath: %1$s}
          volumes:
          - name: work
            hostPath: {path: %1$s, type: Directory}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: hostile
        spec:
          containers:
          - name: main
            image: debian
            command: ["sleep", "3600"]
            env:
            - name: PATH
              value: %2$s:/usr/local/bin:/usr/bin:/bin
            volumeMounts:
            - {name: work, mountPath: %1$s}
          volumes:
          - name: work
            hostPath: {path: %1$s, type: Directory}
        """
            .formatted(work, bin));
    ProcessResult applied = cluster.kubehop("apply", "-f", manifest.toString());
    assertThat(applied.exitCode()).as(applied.toString()).isZero();
    Pods pods = new Pods(cluster);
    for (String pod : List.of("demo", "hostile")) {
      Await.until(
          pod + " runs",
          Duration.ofSeconds(60),
          () ->
              pods.pod(pod)
                  .map(p -> "Running".equals(p.path("status").path("phase").asText()))
                  .orElse(false));
    }
  }

  @AfterAll
  void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @ParameterizedTest(name = "--transport={0}")
  @ValueSource(strings = {"websocket", "spdy"})
  void copies64MiBBothWaysByteExactAndPipedPrintsNothing(String transport) throws Exception {
    Path dir = Files.createDirectories(work.resolve("64-" + transport));
    Path source = random(dir.resolve("random.bin"), 64L << 20);
    Path inPod = Files.createDirectories(dir.resolve("in-pod"));

    ProcessResult in = cp("--transport=" + transport, source.toString(), "demo:" + inPod);
    assertThat(in).isEqualTo(new ProcessResult(0, "", ""));
    // Relative to the container's working directory, so that tar has no leading '/' to report.
    String remote = work.relativize(inPod.resolve("random.bin")).toString();
    Path back = dir.resolve("back.bin");
    ProcessResult out = cp("--transport=" + transport, "demo:" + remote, back.toString());
    assertThat(out).isEqualTo(new ProcessResult(0, "", ""));

    assertThat(sha256(inPod.resolve("random.bin"))).isEqualTo(sha256(source));
    assertThat(sha256(back)).isEqualTo(sha256(source));
  }

  @Test
  void copiesOneGiBBothWaysByteExactInA64MiBHeap() throws Exception {
    Path dir = Files.createDirectories(work.resolve("1g"));
    long size = 1L << 30;
    Path source = random(dir.resolve("big.bin"), size);
    Path inPod = Files.createDirectories(dir.resolve("in-pod"));
    Path back = dir.resolve("back.bin");

    long start = System.nanoTime();
    ProcessResult in = cp(source.toString(), "demo:" + inPod);
    long toPod = System.nanoTime() - start;
    assertThat(in).isEqualTo(new ProcessResult(0, "", ""));
    start = System.nanoTime();
    ProcessResult out = cp("demo:" + inPod.resolve("big.bin"), back.toString());
    long fromPod = System.nanoTime() - start;
    assertThat(out.exitCode()).as(out.toString()).isZero();
    assertThat(out.stdout()).isEmpty();
    assertThat(out.stderr()).isEqualTo("tar: Removing leading `/' from member names\n");

    System.out.printf(
        Locale.ROOT,
        "kubehop cp 1 GiB (websocket, -Xmx64m, CLI start included): to pod %.1f s = %.0f MiB/s,"
            + " from pod %.1f s = %.0f MiB/s%n",
        toPod / 1e9,
        1024 / (toPod / 1e9),
        fromPod / 1e9,
        1024 / (fromPod / 1e9));
    String expected = sha256(source);
    assertThat(sha256(inPod.resolve("big.bin"))).isEqualTo(expected);
    assertThat(sha256(back)).isEqualTo(expected);
    Files.delete(inPod.resolve("big.bin"));
    Files.delete(back);
    Files.delete(source);
  }

  @Test
  void aTerminalShowsAProgressLineRedrawnInPlace() throws Exception {
    Path dir = Files.createDirectories(work.resolve("pty"));
    Path source = random(dir.resolve("progress.bin"), 64L << 20);
    Path inPod = Files.createDirectories(dir.resolve("in-pod"));
    List<String> command = new ArrayList<>();
    command.add(KubehopCluster.root().resolve("bin/kubehop").toString());
    command.addAll(List.of("cp", source.toString(), "demo:" + inPod));
    try (PtySession pty = PtySession.start(command, environment(), 24, 100)) {
      assertThat(pty.waitFor(Duration.ofMinutes(2))).as(pty.output()).isZero();
      String shown = pty.output();
      assertThat(shown).contains("\rprogress.bin [").contains("MiB/s").contains("\033[K");
      assertThat(shown).contains("100% 64.0 MiB / 64.0 MiB");
    }
    assertThat(sha256(inPod.resolve("progress.bin"))).isEqualTo(sha256(source));
  }

  @Test
  void quietOnATerminalPrintsNothing() throws Exception {
    Path dir = Files.createDirectories(work.resolve("pty-quiet"));
    Path source = random(dir.resolve("quiet.bin"), 8L << 20);
    List<String> command = new ArrayList<>();
    command.add(KubehopCluster.root().resolve("bin/kubehop").toString());
    command.addAll(List.of("cp", "-q", source.toString(), "demo:" + dir.resolve("copy.bin")));
    try (PtySession pty = PtySession.start(command, environment(), 24, 100)) {
      assertThat(pty.waitFor(Duration.ofMinutes(2))).isZero();
      assertThat(pty.output()).isEmpty();
    }
    assertThat(sha256(dir.resolve("copy.bin"))).isEqualTo(sha256(source));
  }

  @Test
  void aMissingRemoteFileIsTheRemoteTarsExitCode() {
    ProcessResult result = cp("demo:" + work.resolve("missing"), work.resolve("x").toString());
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.stdout()).isEmpty();
    assertThat(result.stderr())
        .endsWith(
            "Cannot stat: No such file or directory\n"
                + "tar: Exiting with failure status due to previous errors\n"
                + "command terminated with exit code 2\n");
    assertThat(work.resolve("x")).doesNotExist();
  }

  @Test
  void withRetriesTheResumableTarCopiesByteExactAndKeepsTarsExitCode() throws Exception {
    Path dir = Files.createDirectories(work.resolve("retries"));
    Path source = random(dir.resolve("r.bin"), 8L << 20);
    Path back = dir.resolve("back.bin");
    ProcessResult out = cp("--retries=2", "demo:" + work.relativize(source), back.toString());
    assertThat(out).isEqualTo(new ProcessResult(0, "", ""));
    assertThat(sha256(back)).isEqualTo(sha256(source));

    ProcessResult missing = cp("--retries=2", "demo:missing", dir.resolve("x").toString());
    assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(2);
    assertThat(missing.stderr()).endsWith("command terminated with exit code 2\n");
  }

  @Test
  void aHostileArchiveWritesNothingOutsideDest() throws Exception {
    Path outside = Files.createDirectories(work.resolve("hostile/outside"));
    writeHostileTar(outside);
    Path dest = work.resolve("hostile/a/b/dest");

    ProcessResult result = cp("hostile:.", dest.toString());

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stderr())
        .isEqualTo(
            "warning: file \""
                + work.resolve("hostile/a/etc/x")
                + "\" is outside target destination, skipping\n"
                + "warning: skipping symlink: \""
                + dest
                + "/link\" -> \""
                + outside
                + "\" (consider using \"kubehop exec -n \"default\" \"hostile\" -- tar cf - \".\""
                + " | tar xf -\")\n");
    assertThat(Files.readString(dest.resolve("ok.txt"))).isEqualTo("fine\n");
    assertThat(work.resolve("hostile/a/etc")).doesNotExist();
    try (Stream<Path> planted = Files.list(outside)) {
      assertThat(planted).isEmpty();
    }

    ProcessResult corrupted = cp("hostile:/data", work.resolve("hostile/dest2").toString());
    assertThat(corrupted).isEqualTo(new ProcessResult(1, "", "error: tar contents corrupted\n"));
  }

  /** {@code ok.txt}, then {@code ../../etc/x}, a link to {@code outside}, a file through it. */
  private void writeHostileTar(Path outside) throws IOException {
    try (OutputStream file = Files.newOutputStream(hostileTar);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(file)) {
      add(tar, "ok.txt", "fine\n");
      add(tar, "../../etc/x", "evil\n");
      TarArchiveEntry link = new TarArchiveEntry("link", TarConstants.LF_SYMLINK, true);
      link.setLinkName(outside.toString());
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
      add(tar, "link/y", "evil\n");
    }
  }

  private static void add(TarArchiveOutputStream tar, String name, String content)
      throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
    entry.setSize(bytes.length);
    tar.putArchiveEntry(entry);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  private ProcessResult cp(String... args) {
    List<String> command = new ArrayList<>();
    command.add(KubehopCluster.root().resolve("bin/kubehop").toString());
    command.add("cp");
    command.addAll(List.of(args));
    return Commands.run(command, environment(), null, Duration.ofMinutes(5), KubehopCluster.root());
  }

  private Map<String, String> environment() {
    return Map.of(
        "KUBEHOP_HOME",
        cluster.home().toString(),
        "KUBECONFIG",
        cluster.kubeconfig().toString(),
        "KUBEHOP_CLI_JAVA_OPTS",
        CLI_JAVA_OPTS);
  }

  private static Path random(Path file, long size) throws IOException {
    byte[] block = new byte[1 << 20];
    Random random = new Random(size);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= block.length) {
        random.nextBytes(block);
        out.write(block, 0, (int) Math.min(block.length, left));
      }
    }
    return file;
  }

  private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
