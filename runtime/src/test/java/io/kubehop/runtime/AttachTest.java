package io.kubehop.runtime;

import static io.kubehop.runtime.RuntimeFixture.await;
import static io.kubehop.runtime.RuntimeFixture.containerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.cri.v1.AttachRequest;
import io.kubehop.cri.v1.ContainerState;
import io.kubehop.runtime.streaming.RawSession;
import io.kubehop.runtime.streaming.StreamClient;
import io.kubehop.streaming.remotecommand.ExitCodeException;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.testkit.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** attach joins a container's main process: typed input, shared output, detach, exit status. */
class AttachTest {

  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final StreamOptions TTY = new StreamOptions(true, true, false, true);

  @TempDir static Path home;
  static RuntimeFixture rt;
  static StreamClient client;

  @BeforeAll
  static void start() throws Exception {
    rt = new RuntimeFixture(home, "127.20.207.0/24");
    client = new StreamClient(rt.vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    rt.close();
  }

  static RawSession attach(String id, StreamOptions options) throws Exception {
    String url =
        await(
                rt.cri.attach(
                    AttachRequest.newBuilder()
                        .setContainerId(id)
                        .setStdin(options.stdin())
                        .setStdout(options.stdout())
                        .setStderr(options.stderr())
                        .setTty(options.tty())
                        .build()))
            .getUrl();
    return await(client.open(url, options, options.tty() ? 80 : 0, 24));
  }

  @Test
  void typedInputReachesAShellAndDetachLeavesItRunning() throws Exception {
    String id =
        rt.runContainer(
            "shell", containerConfig("main", "busybox", List.of("sh")).setStdin(true).setTty(true));
    RawSession first = attach(id, TTY);
    await(first.type("echo hi\n"));
    Await.until("the shell's answer", DEADLINE, () -> first.output().contains("\r\nhi\r\n"));
    await(first.close());

    RawSession second = attach(id, TTY);
    await(second.type("echo again\n"));
    Await.until(
        "the shell's answer to the second attacher",
        DEADLINE,
        () -> second.output().contains("\r\nagain\r\n"));
    assertEquals(
        ContainerState.CONTAINER_RUNNING, rt.status(id).getState(), "detach left it running");

    await(second.type("stty size; exit 7\n"));
    ExitCodeException exit = (ExitCodeException) await(second.outcome()).orElseThrow();
    assertEquals(7, exit.code());
    assertTrue(
        second.output().contains("24 80\r\n"),
        "the attacher's size reached the PTY: " + second.output());
    assertEquals(7, rt.awaitExited(id, DEADLINE).getExitCode());
  }

  @Test
  void withoutTtyEchoHelloIsExactlyHelloNewline() throws Exception {
    String id =
        rt.runContainer("pipes", containerConfig("main", "busybox", List.of("sh")).setStdin(true));
    RawSession session = attach(id, new StreamOptions(true, true, true, false));
    await(session.type("echo hello\n"));
    Await.until("hello", DEADLINE, () -> session.output().equals("hello\n"));
    await(session.type("echo oops >&2; exit 0\n"));
    assertTrue(await(session.outcome()).isEmpty());
    assertEquals("hello\noops\n", session.output());
  }

  @Test
  void severalAttachersSeeTheSameOutput() throws Exception {
    String id =
        rt.runContainer(
            "ticker",
            containerConfig(
                    "main", "busybox", List.of("sh", "-c", "read x; echo tick; read y; echo tock"))
                .setStdin(true));
    StreamOptions out = new StreamOptions(true, true, false, false);
    RawSession a = attach(id, out);
    RawSession b = attach(id, out);
    await(a.type("\n"));
    Await.until(
        "both see tick",
        DEADLINE,
        () -> a.output().equals("tick\n") && b.output().equals("tick\n"));
    await(b.type("\n"));
    assertTrue(await(a.outcome()).isEmpty());
    assertTrue(await(b.outcome()).isEmpty());
    assertEquals("tick\ntock\n", a.output());
    assertEquals("tick\ntock\n", b.output());
  }

  @Test
  void stdinOnceClosesTheContainersStdinWhenTheFirstAttacherLeaves() throws Exception {
    String id =
        rt.runContainer(
            "once",
            containerConfig("main", "busybox", List.of("cat")).setStdin(true).setStdinOnce(true));
    RawSession session = attach(id, new StreamOptions(true, true, false, false));
    await(session.type("line\n"));
    Await.until("echoed", DEADLINE, () -> session.output().equals("line\n"));
    await(session.close());
    assertEquals(0, rt.awaitExited(id, DEADLINE).getExitCode(), "cat saw EOF");
  }
}
