package io.kubehop.runtime;

import static io.kubehop.runtime.RuntimeFixture.await;
import static io.kubehop.runtime.RuntimeFixture.containerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.cri.v1.ContainerState;
import io.kubehop.cri.v1.ContainerStatus;
import io.kubehop.cri.v1.KeyValue;
import io.kubehop.cri.v1.StopContainerRequest;
import io.kubehop.runtime.container.ContainerContext;
import io.kubehop.runtime.process.ExecutableResolver;
import io.kubehop.runtime.process.MonitoredProcess;
import io.kubehop.testkit.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers as real child processes: exit codes, logs, signals, environment, TTY, large output.
 */
class ContainerLifecycleTest {

  private static final Pattern TIMESTAMP =
      Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z");
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @TempDir static Path home;
  static RuntimeFixture rt;

  @BeforeAll
  static void start() throws Exception {
    rt = new RuntimeFixture(home, "127.20.201.0/24");
  }

  @AfterAll
  static void stop() throws Exception {
    rt.close();
  }

  /** The log's lines, split on \n only (a \r is content: TTY output keeps it). */
  static List<String> logLines(ContainerStatus status) throws Exception {
    String log = Files.readString(Path.of(status.getLogPath()), StandardCharsets.UTF_8);
    assertTrue(log.isEmpty() || log.endsWith("\n"), "log ends with a newline");
    return log.isEmpty() ? List.of() : List.of(log.substring(0, log.length() - 1).split("\n", -1));
  }

  /** Drops the timestamp after checking it is RFC 3339 with nanoseconds. */
  private static String withoutTimestamp(String line) {
    int space = line.indexOf(' ');
    assertTrue(TIMESTAMP.matcher(line.substring(0, space)).matches(), "timestamp of: " + line);
    return line.substring(space + 1);
  }

  @Test
  void exitCodeAndCriLog() throws Exception {
    String id =
        rt.runContainer(
            "exit3",
            containerConfig(
                "main", "busybox", List.of("sh", "-c", "echo out; echo err >&2; exit 3")));
    ContainerStatus status = rt.awaitExited(id, DEADLINE);
    assertEquals(3, status.getExitCode());
    assertEquals("Error", status.getReason());
    assertTrue(status.getStartedAt() > 0 && status.getFinishedAt() >= status.getStartedAt());
    assertEquals(rt.logDirectory("exit3").resolve("main/0.log").toString(), status.getLogPath());
    List<String> lines =
        logLines(status).stream().map(ContainerLifecycleTest::withoutTimestamp).sorted().toList();
    assertEquals(List.of("stderr F err", "stdout F out"), lines);
  }

  @Test
  void zeroExitIsCompleted() throws Exception {
    String id = rt.runContainer("ok", containerConfig("main", "busybox", List.of("true")));
    ContainerStatus status = rt.awaitExited(id, DEADLINE);
    assertEquals(0, status.getExitCode());
    assertEquals("Completed", status.getReason());
  }

  @Test
  void sleepIsARealChildAndStopWithTimeoutZeroKills() throws Exception {
    String id =
        rt.runContainer("sleeper", containerConfig("main", "busybox", List.of("sleep", "3600")));
    assertEquals(ContainerState.CONTAINER_RUNNING, rt.status(id).getState());
    long pid = rt.server.containers().get(id).pid();
    awaitCmdline(pid, onPath("sleep") + "\u00003600\u0000");
    assertEquals(
        ProcessHandle.current().pid(),
        ProcessHandle.of(pid).orElseThrow().parent().orElseThrow().pid());

    await(
        rt.cri.stopContainer(
            StopContainerRequest.newBuilder().setContainerId(id).setTimeout(0).build()));
    ContainerStatus status = rt.status(id);
    assertEquals(ContainerState.CONTAINER_EXITED, status.getState());
    assertEquals(137, status.getExitCode());
    assertEquals("Error", status.getReason());
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
  }

  @Test
  void sigtermIsEnoughForAWellBehavedProcess() throws Exception {
    String id =
        rt.runContainer(
            "polite",
            containerConfig(
                "main",
                "busybox",
                List.of(
                    "sh",
                    "-c",
                    "trap 'echo bye; exit 0' TERM; echo up; while :; do sleep 0.1; done")));
    Await.until("trap installed", DEADLINE, () -> logContains(id, "stdout F up"));
    long start = System.nanoTime();
    await(
        rt.cri.stopContainer(
            StopContainerRequest.newBuilder().setContainerId(id).setTimeout(30).build()));
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10);
    ContainerStatus status = rt.status(id);
    assertEquals(0, status.getExitCode());
    assertEquals("Completed", status.getReason());
    assertTrue(logContains(id, "stdout F bye"));
  }

  @Test
  void sigtermTrappingProcessIsKilledAfterTheTimeout() throws Exception {
    String id =
        rt.runContainer(
            "stubborn",
            containerConfig(
                "main",
                "busybox",
                List.of(
                    "sh", "-c", "trap 'echo ignored' TERM; echo up; while :; do sleep 0.1; done")));
    Await.until("trap installed", DEADLINE, () -> logContains(id, "stdout F up"));
    long start = System.nanoTime();
    await(
        rt.cri.stopContainer(
            StopContainerRequest.newBuilder().setContainerId(id).setTimeout(1).build()));
    assertTrue(System.nanoTime() - start >= Duration.ofSeconds(1).toNanos());
    ContainerStatus status = rt.status(id);
    assertEquals(137, status.getExitCode());
    assertTrue(logContains(id, "stdout F ignored"));
  }

  @Test
  void environmentWorkingDirAndHostname() throws Exception {
    Path workDir = Files.createDirectories(home.resolve("work dir"));
    String id =
        rt.runContainer(
            "web-0",
            containerConfig(
                    "main",
                    "busybox",
                    List.of("sh", "-c", "echo $HOSTNAME; pwd; echo $FOO; echo $KUBEHOP_POD_IP"))
                .setWorkingDir(workDir.toString())
                .addEnvs(KeyValue.newBuilder().setKey("FOO").setValue("bar baz")));
    ContainerStatus status = rt.awaitExited(id, DEADLINE);
    assertEquals(0, status.getExitCode());
    String ip = rt.server.sandboxes().get(rt.server.containers().get(id).sandboxId()).ip();
    List<String> lines =
        logLines(status).stream().map(ContainerLifecycleTest::withoutTimestamp).toList();
    assertEquals(
        List.of("stdout F web-0", "stdout F " + workDir, "stdout F bar baz", "stdout F " + ip),
        lines);
  }

  @Test
  void environmentIsMinimalNotTheRuntimes() throws Exception {
    String id =
        rt.runContainer(
            "envpod",
            containerConfig("main", "debian", List.of("env"))
                .addEnvs(KeyValue.newBuilder().setKey("FOO").setValue("bar")));
    ContainerStatus status = rt.awaitExited(id, DEADLINE);
    String ip = rt.server.sandboxes().get(rt.server.containers().get(id).sandboxId()).ip();
    List<String> env =
        logLines(status).stream().map(ContainerLifecycleTest::withoutTimestamp).sorted().toList();
    assertEquals(
        List.of(
            "stdout F FOO=bar",
            "stdout F HOME=/root",
            "stdout F HOSTNAME=envpod",
            "stdout F KUBEHOP_POD_IP=" + ip,
            "stdout F PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
        env);
  }

  @Test
  void defaultWorkingDirIsThePodsDirectory() throws Exception {
    String id = rt.runContainer("pwdpod", containerConfig("main", "busybox", List.of("pwd")));
    ContainerStatus status = rt.awaitExited(id, DEADLINE);
    String sandboxId = rt.server.containers().get(id).sandboxId();
    assertEquals(
        List.of("stdout F " + home.resolve("nodes/node-t/runtime/pods/" + sandboxId)),
        logLines(status).stream().map(ContainerLifecycleTest::withoutTimestamp).toList());
  }

  @Test
  void ttyOutputUsesCrLf() throws Exception {
    String id =
        rt.runContainer(
            "tty",
            containerConfig("main", "busybox", List.of("sh", "-c", "echo hi; echo $TERM; exit 4"))
                .setTty(true));
    ContainerStatus status = rt.awaitExited(id, DEADLINE);
    assertEquals(4, status.getExitCode());
    assertEquals(
        List.of("stdout F hi\r", "stdout F xterm\r"),
        logLines(status).stream().map(ContainerLifecycleTest::withoutTimestamp).toList());
  }

  @Test
  void ttyProcessKilledBySignalReports137() throws Exception {
    String id =
        rt.runContainer(
            "ttykill", containerConfig("main", "busybox", List.of("sleep", "3600")).setTty(true));
    await(
        rt.cri.stopContainer(
            StopContainerRequest.newBuilder().setContainerId(id).setTimeout(0).build()));
    assertEquals(137, rt.status(id).getExitCode());
  }

  @Test
  void largeOutputIsFullyLoggedAtExit() throws Exception {
    // 131072 lines of 64 bytes = 8 MiB, and the process exits right after writing the last one
    String line = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde";
    String id =
        rt.runContainer(
            "big",
            containerConfig(
                "main", "busybox", List.of("sh", "-c", "yes " + line + " | head -c 8388608")));
    ContainerStatus status = rt.awaitExited(id, Duration.ofSeconds(60));
    assertEquals(0, status.getExitCode());
    List<String> lines = logLines(status);
    assertEquals(131072, lines.size());
    String expected = " stdout F " + line;
    for (String logLine : lines) {
      if (!logLine.endsWith(expected) || logLine.length() != 30 + expected.length()) {
        throw new AssertionError("unexpected log line: " + logLine);
      }
    }
  }

  @Test
  void whatTheMainProcessLeftBehindDiesWithIt() throws Exception {
    // the orphaned sleep holds the stdout pipe: without ending it, the exit could not be reported
    // promptly
    String id =
        rt.runContainer(
            "orphans",
            containerConfig("main", "busybox", List.of("sh", "-c", "sleep 3600 & echo $!")));
    long start = System.nanoTime();
    ContainerStatus status = rt.awaitExited(id, DEADLINE);
    assertTrue(
        Duration.ofNanos(System.nanoTime() - start).toMillis() < 1500, "exit reported promptly");
    long orphan =
        Long.parseLong(withoutTimestamp(logLines(status).get(0)).substring("stdout F ".length()));
    Await.until(
        "orphan " + orphan + " gone",
        Duration.ofSeconds(5),
        () -> !ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false));
  }

  @Test
  void severalAttachersShareStdinAndOutputAndDetachWithoutStoppingIt() throws Exception {
    String id =
        rt.runContainer(
            "attach",
            containerConfig(
                    "main", "busybox", List.of("sh", "-c", "while read l; do echo got:$l; done"))
                .setStdin(true));
    MonitoredProcess process = rt.server.containers().get(id).process();
    MonitoredProcess.Attachment first = process.attach(64 * 1024);
    MonitoredProcess.Attachment second = process.attach(64 * 1024);
    process.stdin().write("x\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(
        "got:x\n",
        new String(first.output().poll(10, TimeUnit.SECONDS).chunk(), StandardCharsets.UTF_8));
    assertEquals(
        "got:x\n",
        new String(second.output().poll(10, TimeUnit.SECONDS).chunk(), StandardCharsets.UTF_8));
    first.close();
    process.stdin().write("y\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(
        "got:y\n",
        new String(second.output().poll(10, TimeUnit.SECONDS).chunk(), StandardCharsets.UTF_8));
    assertEquals(ContainerState.CONTAINER_RUNNING, rt.status(id).getState());
    process.stdin().close(); // EOF: the read loop ends and the shell exits 0
    ContainerStatus status = rt.awaitExited(id, DEADLINE);
    assertEquals(0, status.getExitCode());
    assertEquals(
        null, second.output().poll(10, TimeUnit.SECONDS).chunk(), "end of output after the exit");
    assertEquals(
        List.of("stdout F got:x", "stdout F got:y"),
        logLines(status).stream().map(ContainerLifecycleTest::withoutTimestamp).toList());
  }

  @Test
  void outputWithoutFinalNewlineIsAPartialLine() throws Exception {
    String id =
        rt.runContainer("partial", containerConfig("main", "busybox", List.of("printf", "a\\nb")));
    ContainerStatus status = rt.awaitExited(id, DEADLINE);
    assertEquals(
        List.of("stdout F a", "stdout P b"),
        logLines(status).stream().map(ContainerLifecycleTest::withoutTimestamp).toList());
  }

  @Test
  void idleShellImageKeepsRunning() throws Exception {
    String id =
        rt.runContainer("bb", containerConfig("main", "docker.io/library/busybox:1.36", List.of()));
    long pid = rt.server.containers().get(id).pid();
    awaitCmdline(pid, "/bin/sh\u0000");
    // its stdin is a pipe the runtime holds open, so the shell waits for input instead of exiting
    assertTrue(
        Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/0")).toString().startsWith("pipe:"));
    assertFalse(waitsForExit(id, Duration.ofMillis(500)));
    assertEquals(ContainerState.CONTAINER_RUNNING, rt.status(id).getState());
  }

  @Test
  void unknownImageRunsSleepInfinity() throws Exception {
    String id =
        rt.runContainer("unknown", containerConfig("main", "example.com/team/app:v2", List.of()));
    long pid = rt.server.containers().get(id).pid();
    awaitCmdline(pid, onPath("sleep") + "\u0000infinity\u0000");
  }

  /** Where a container's PATH finds a program: argv[0] of its process. */
  private static String onPath(String name) {
    return ExecutableResolver.resolve(name, ContainerContext.DEFAULT_PATH, Path.of("/"))
        .orElseThrow()
        .toString();
  }

  /**
   * Waits for the process to show this command line (it execs through setsid first, in the same
   * pid).
   */
  private static void awaitCmdline(long pid, String expected) throws InterruptedException {
    Path cmdline = Path.of("/proc/" + pid + "/cmdline");
    Await.until(
        pid + " running " + expected.replace('\u0000', ' '),
        DEADLINE,
        () -> {
          try {
            return Files.readString(cmdline).equals(expected);
          } catch (IOException e) {
            return false;
          }
        });
  }

  private static boolean waitsForExit(String id, Duration duration) throws Exception {
    try {
      rt.server.containers().get(id).exitRecorded().get(duration.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    }
  }

  private static boolean logContains(String id, String text) {
    try {
      Path log = rt.server.containers().get(id).logPath();
      return Files.exists(log) && Files.readString(log).contains(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
