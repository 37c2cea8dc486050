package io.kubehop.runtime;

import static io.kubehop.runtime.RuntimeFixture.await;
import static io.kubehop.runtime.RuntimeFixture.containerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.cri.v1.AttachRequest;
import io.kubehop.cri.v1.ExecRequest;
import io.kubehop.runtime.streaming.RawSession;
import io.kubehop.runtime.streaming.StreamClient;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions of every kind leave no thread and no file descriptor behind. */
class StreamingLeakTest {

  /**
   * Threads or descriptors that may come and go on their own (pool threads created on demand, GC,
   * JIT).
   */
  private static final int SLACK = 4;

  private static final StreamOptions PIPES = new StreamOptions(true, true, true, false);
  private static final StreamOptions TTY = new StreamOptions(true, true, false, true);

  @TempDir static Path home;
  static RuntimeFixture rt;
  static StreamClient client;
  static String container;
  static String shell;

  @BeforeAll
  static void start() throws Exception {
    rt = new RuntimeFixture(home, "127.20.208.0/24");
    client = new StreamClient(rt.vertx);
    container =
        rt.runContainer("leaks", containerConfig("main", "busybox", List.of("sleep", "3600")));
    shell =
        rt.runContainer(
            "shell", containerConfig("main", "busybox", List.of("sh")).setStdin(true).setTty(true));
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    rt.close();
  }

  private static String execUrl(List<String> cmd, StreamOptions o) throws Exception {
    return await(
            rt.cri.exec(
                ExecRequest.newBuilder()
                    .setContainerId(container)
                    .addAllCmd(cmd)
                    .setStdin(o.stdin())
                    .setStdout(o.stdout())
                    .setStderr(o.stderr())
                    .setTty(o.tty())
                    .build()))
        .getUrl();
  }

  /**
   * One round: piped exec with stdin, a missing command, a TTY exec, an attach, and a client that
   * leaves.
   */
  private static void round(int i) throws Exception {
    assertEquals(
        "x" + i + "\n", client.run(execUrl(List.of("cat"), PIPES), PIPES, "x" + i + "\n").stdout());
    assertEquals(127, client.run(execUrl(List.of("nope"), PIPES), PIPES, "").exitCode());
    RawSession tty = await(client.open(execUrl(List.of("sh", "-c", "exit 2"), TTY), TTY, 100, 30));
    assertTrue(await(tty.outcome()).isPresent());
    String attachUrl =
        await(
                rt.cri.attach(
                    AttachRequest.newBuilder()
                        .setContainerId(shell)
                        .setStdin(true)
                        .setStdout(true)
                        .setTty(true)
                        .build()))
            .getUrl();
    RawSession attach = await(client.open(attachUrl, TTY, 100, 30));
    await(attach.type("echo a" + i + "\n"));
    Await.until(
        "attach output", Duration.ofSeconds(10), () -> attach.output().contains("\r\na" + i));
    await(attach.close());
    RawSession leaver = await(client.open(execUrl(List.of("sleep", "1000"), PIPES), PIPES, 0, 0));
    await(leaver.close());
  }

  private static long fds() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  /** What the descriptors point to, for a failure message. */
  private static List<String> descriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(
              fd -> {
                try {
                  return fd.getFileName() + "->" + Files.readSymbolicLink(fd);
                } catch (IOException e) {
                  return fd.getFileName() + "->?";
                }
              })
          .toList();
    }
  }

  /**
   * Live threads, without the members of bounded pools that grow on demand and stay (Vert.x's
   * worker and internal blocking pools, at most 20 each) or expire on their own (the JDK's process
   * reapers).
   */
  private static List<String> threads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(
            name ->
                !name.startsWith("vert.x-worker-thread-")
                    && !name.startsWith("vert.x-internal-blocking-")
                    && !name.startsWith("process reaper"))
        .sorted()
        .toList();
  }

  @Test
  void fiftySessionsLeaveNoThreadsOrDescriptors() throws Exception {
    for (int i = 0; i < 5; i++) {
      round(i); // warm-up: pools, the PTY library, class loading
    }
    long fdsBefore = fds();
    List<String> threadsBefore = threads();
    for (int i = 0; i < 10; i++) {
      round(i); // 10 rounds of 5 sessions
    }
    Await.within(
        Duration.ofSeconds(15),
        () -> {
          try {
            return fds() <= fdsBefore + SLACK && threads().size() <= threadsBefore.size() + SLACK;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    List<String> threadsAfter = threads();
    assertTrue(
        threadsAfter.size() <= threadsBefore.size() + SLACK,
        "threads before " + threadsBefore + "\nafter " + threadsAfter);
    long fdsAfter = fds();
    assertTrue(
        fdsAfter <= fdsBefore + SLACK,
        "descriptors: " + fdsBefore + " before, " + fdsAfter + " after: " + descriptors());
  }
}
