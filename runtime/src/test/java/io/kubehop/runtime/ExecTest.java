package io.kubehop.runtime;

import static io.kubehop.runtime.RuntimeFixture.await;
import static io.kubehop.runtime.RuntimeFixture.containerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.cri.v1.ExecRequest;
import io.kubehop.cri.v1.KeyValue;
import io.kubehop.cri.v1.StopContainerRequest;
import io.kubehop.runtime.streaming.CollectingSink;
import io.kubehop.runtime.streaming.RawSession;
import io.kubehop.runtime.streaming.StreamClient;
import io.kubehop.streaming.remotecommand.ExitCodeException;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.StreamProtocol;
import io.kubehop.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * exec through the CRI and the streaming server, with the streaming module's SPDY client over TCP.
 */
class ExecTest {

  private static final StreamOptions OUT_ERR = new StreamOptions(false, true, true, false);
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @TempDir static Path home;
  static RuntimeFixture rt;
  static StreamClient client;
  static String container;
  static Path workDir;

  @BeforeAll
  static void start() throws Exception {
    rt = new RuntimeFixture(home, "127.20.205.0/24");
    client = new StreamClient(rt.vertx);
    workDir = home.resolve("work dir");
    container =
        rt.runContainer(
            "execpod",
            containerConfig("main", "busybox", List.of("sleep", "3600"))
                .addEnvs(KeyValue.newBuilder().setKey("GREETING").setValue("hi there"))
                .setWorkingDir(workDir.toString()));
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    rt.close();
  }

  static String execUrl(List<String> cmd, StreamOptions options) throws Exception {
    String url =
        await(
                rt.cri.exec(
                    ExecRequest.newBuilder()
                        .setContainerId(container)
                        .addAllCmd(cmd)
                        .setStdin(options.stdin())
                        .setStdout(options.stdout())
                        .setStderr(options.stderr())
                        .setTty(options.tty())
                        .build()))
            .getUrl();
    assertTrue(
        url.matches(rt.server.streamingUrl().replace(".", "\\.") + "/exec/[A-Za-z0-9_-]{8}"), url);
    return url;
  }

  static StreamClient.Result exec(List<String> cmd, StreamOptions options, String stdin)
      throws Exception {
    return client.run(execUrl(cmd, options), options, stdin);
  }

  @Test
  void echoHelloIsExactlyHelloNewline() throws Exception {
    StreamClient.Result result = exec(List.of("echo", "hello"), OUT_ERR, null);
    assertEquals("hello\n", result.stdout());
    assertEquals("", result.stderr());
    assertEquals(0, result.exitCode());
  }

  @Test
  void stderrIsSeparate() throws Exception {
    StreamClient.Result result =
        exec(List.of("sh", "-c", "echo out; echo err >&2; echo out2"), OUT_ERR, null);
    assertEquals("out\nout2\n", result.stdout());
    assertEquals("err\n", result.stderr());
  }

  @Test
  void stdinEofReachesCat() throws Exception {
    StreamClient.Result result =
        exec(List.of("cat"), new StreamOptions(true, true, true, false), "a\nb\n");
    assertEquals("a\nb\n", result.stdout());
    assertEquals(0, result.exitCode());
  }

  @Test
  void exitCodes() throws Exception {
    for (int code : new int[] {0, 1, 3}) {
      assertEquals(
          code,
          exec(List.of("sh", "-c", "exit " + code), OUT_ERR, null).exitCode(),
          "exit " + code);
    }
    StreamClient.Result killed = exec(List.of("sh", "-c", "kill -9 $$"), OUT_ERR, null);
    assertEquals(137, killed.exitCode());
    assertEquals("command terminated with exit code 137", killed.error().getMessage());
  }

  @Test
  void missingCommandExits127LikeAShell() throws Exception {
    StreamClient.Result result = exec(List.of("no-such-command"), OUT_ERR, null);
    assertEquals(127, result.exitCode());
    assertEquals("", result.stdout());
    assertEquals(
        "exec: \"no-such-command\": executable file not found in $PATH\n", result.stderr());
  }

  @Test
  void runsInTheContainersContext() throws Exception {
    StreamClient.Result result =
        exec(
            List.of("sh", "-c", "echo \"$GREETING|$HOSTNAME|$KUBEHOP_POD_IP|$PATH\"; pwd"),
            OUT_ERR,
            null);
    String ip = rt.server.sandboxes().get(rt.server.containers().get(container).sandboxId()).ip();
    assertEquals(
        "hi there|execpod|"
            + ip
            + "|/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
            + workDir
            + "\n",
        result.stdout());
  }

  @Test
  void ttyEchoHelloIsExactlyHelloCrLf() throws Exception {
    StreamOptions tty = new StreamOptions(true, true, false, true);
    RawSession session = await(client.open(execUrl(List.of("echo", "hello"), tty), tty, 80, 24));
    assertEquals(Optional.empty(), await(session.outcome()));
    assertEquals("hello\r\n", session.output());
  }

  @Test
  void ttyStartsWithTheInitialSizeAndFollowsResizes() throws Exception {
    StreamOptions tty = new StreamOptions(true, true, false, true);
    RawSession session =
        await(
            client.open(
                execUrl(List.of("sh", "-c", "stty size; read x; stty size"), tty), tty, 101, 37));
    Await.until("initial size", DEADLINE, () -> session.output().contains("\r\n"));
    assertEquals("37 101\r\n", session.output(), "the first output is already the client's size");
    await(session.resize(120, 50));
    await(session.type("go\n"));
    assertEquals(Optional.empty(), await(session.outcome()));
    assertEquals("37 101\r\ngo\r\n50 120\r\n", session.output());
  }

  @Test
  void theInitialSizeIsThereBeforeTheCommandRuns() throws Exception {
    StreamOptions tty = new StreamOptions(false, true, false, true);
    for (int i = 0; i < 10; i++) {
      RawSession session = await(client.open(execUrl(List.of("stty", "size"), tty), tty, 101, 37));
      assertEquals(Optional.empty(), await(session.outcome()));
      assertEquals("37 101\r\n", session.output(), "run " + i);
    }
  }

  @Test
  void ttyExitCodeAndEofAsCtrlD() throws Exception {
    StreamOptions tty = new StreamOptions(true, true, false, true);
    RawSession session =
        await(
            client.open(execUrl(List.of("sh", "-c", "cat >/dev/null; exit 5"), tty), tty, 80, 24));
    await(session.type("some input\n"));
    await(session.endStdin());
    Exception outcome = await(session.outcome()).orElseThrow();
    assertEquals(5, ((ExitCodeException) outcome).code());
  }

  @Test
  void olderProtocols() throws Exception {
    StreamOptions out = new StreamOptions(false, true, true, false);
    for (StreamProtocol protocol : StreamProtocol.values()) {
      RawSession ok =
          await(
              client.open(
                  execUrl(List.of("echo", "hello"), out), out, 0, 0, List.of(protocol.wireName())));
      assertEquals(protocol, ok.protocol());
      assertEquals(Optional.empty(), await(ok.outcome()), protocol.wireName());
      assertEquals("hello\n", ok.output(), protocol.wireName());
    }
    RawSession v3 =
        await(
            client.open(
                execUrl(List.of("sh", "-c", "exit 3"), out),
                out,
                0,
                0,
                List.of(StreamProtocol.V3.wireName())));
    assertEquals(
        "error executing remote command: command terminated with non-zero exit code: exit status 3",
        await(v3.outcome()).orElseThrow().getMessage());
  }

  @Test
  void ttyDeathBySignalIs128PlusN() throws Exception {
    StreamOptions tty = new StreamOptions(false, true, false, true);
    RawSession session =
        await(client.open(execUrl(List.of("sh", "-c", "kill -9 $$"), tty), tty, 80, 24));
    assertEquals(137, ((ExitCodeException) await(session.outcome()).orElseThrow()).code());
  }

  @Test
  void largeOutputReachesASlowReaderCompletely() throws Exception {
    long size = Long.getLong("kubehop.test.execBytes", 256L << 20);
    byte[] pattern = "0123456789abcde\n".getBytes(StandardCharsets.US_ASCII);
    // Slow until the last 16 MiB: the server is held back by the reader for all of that. The tail
    // is read fast
    // because the streaming module's client drops what its paused socket still buffers when the
    // server's TCP close
    // arrives (SpdySession ends its streams on the socket's closeHandler, before the queued bytes
    // are read).
    CollectingSink stdout = CollectingSink.checking(rt.vertx, pattern, 5, size - (16L << 20));
    CollectingSink stderr = CollectingSink.keeping(rt.vertx);
    String url = execUrl(List.of("sh", "-c", "yes 0123456789abcde | head -c " + size), OUT_ERR);
    await(client.stream(url, OUT_ERR, null, stdout, stderr));
    assertEquals(size, stdout.count());
    assertEquals(-1, stdout.mismatchAt());
    assertEquals("", stderr.text());
  }

  @Test
  void aClientThatLeavesGetsTheProcessKilled() throws Exception {
    StreamOptions out = new StreamOptions(false, true, false, false);
    RawSession session =
        await(
            client.open(
                execUrl(List.of("sh", "-c", "echo $$; sleep 1000; echo done"), out), out, 0, 0));
    Await.until("pid", DEADLINE, () -> session.output().endsWith("\n"));
    ProcessHandle sh = ProcessHandle.of(Long.parseLong(session.output().trim())).orElseThrow();
    Await.until("sleep started", DEADLINE, () -> sh.descendants().count() == 1);
    List<ProcessHandle> tree = List.of(sh, sh.descendants().findFirst().orElseThrow());
    await(session.close());
    Await.until(
        "sh and sleep killed", DEADLINE, () -> tree.stream().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void execdProcessesDieWithTheContainer() throws Exception {
    String short1 =
        rt.runContainer("shortlived", containerConfig("main", "busybox", List.of("sleep", "3600")));
    StreamOptions out = new StreamOptions(false, true, false, false);
    String url =
        await(
                rt.cri.exec(
                    ExecRequest.newBuilder()
                        .setContainerId(short1)
                        .addAllCmd(List.of("sh", "-c", "echo started; sleep 1000"))
                        .setStdout(true)
                        .build()))
            .getUrl();
    RawSession session = await(client.open(url, out, 0, 0));
    Await.until("exec started", DEADLINE, () -> session.output().equals("started\n"));
    await(rt.cri.stopContainer(StopContainerRequest.newBuilder().setContainerId(short1).build()));
    assertEquals(137, ((ExitCodeException) await(session.outcome()).orElseThrow()).code());
  }

  @Test
  void execInAContainerThatStoppedMeanwhileFailsInBand() throws Exception {
    String stopped =
        rt.runContainer("stopped", containerConfig("main", "busybox", List.of("sleep", "3600")));
    String url =
        await(
                rt.cri.exec(
                    ExecRequest.newBuilder()
                        .setContainerId(stopped)
                        .addCmd("true")
                        .setStdout(true)
                        .build()))
            .getUrl();
    await(rt.cri.stopContainer(StopContainerRequest.newBuilder().setContainerId(stopped).build()));
    StreamClient.Result result =
        client.run(url, new StreamOptions(false, true, false, false), null);
    assertEquals(
        "Internal error occurred: error executing command in container: container not running ("
            + stopped
            + ")",
        result.error().getMessage());
  }
}
