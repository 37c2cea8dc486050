package io.kubehop.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.kubehop.testkit.Kubeconfigs;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capture tool between a real kubectl 1.33 and {@link FakeExecServer}, in-process: kubectl's
 * own frames must come out exactly as the golden files hold them, which is what recapturing a
 * golden file relies on. Fails when kubectl is missing and CI=true; skips otherwise.
 */
class KubectlCaptureTest {

  private static final HexFormat HEX = HexFormat.of();

  @TempDir Path home;
  private final BlockingQueue<String> log = new LinkedBlockingQueue<>();
  private FakeExecServer apiserver;
  private RecordingProxy proxy;
  private int port;

  record Result(int exitCode, String stdout, String stderr) {}

  @BeforeEach
  void start() throws IOException {
    apiserver = new FakeExecServer();
    proxy =
        new RecordingProxy(
            new InetSocketAddress("127.0.0.1", 0),
            new InetSocketAddress("127.0.0.1", apiserver.port()),
            home.resolve("out"),
            log::add);
    port = proxy.start();
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    apiserver.close();
  }

  /**
   * The recapture of golden/spdy/kubectl-exec.hex as docs/wire-captures.md gives it; kubectl's side
   * is golden.
   */
  @Test
  void spdyExecReproducesKubectlsGoldenSynStreams() throws Exception {
    Result r = kubectl("false", null, "exec", "demo", "--", "echo", "hi");
    assertEquals(new Result(0, "hi\n", ""), r);
    Path file = written("spdy/001-exec.hex");
    GoldenLines golden = GoldenLines.golden("spdy/kubectl-exec.hex");
    GoldenLines captured = GoldenLines.read(file);
    assertEquals(golden.named("syn-stream-error").hex(), captured.named("syn-stream-1").hex());
    assertEquals(golden.named("syn-stream-stdout").hex(), captured.named("syn-stream-3").hex());
    assertEquals("C>S", captured.named("syn-stream-5").direction(), "the stderr stream");
    assertEquals(
        List.of(
            "syn-reply-1",
            "syn-reply-3",
            "syn-reply-5",
            "data-3",
            "data-3-fin",
            "data-5-fin",
            "data-1",
            "data-1-fin"),
        captured.from("S>C").stream().map(GoldenLines.Line::name).toList(),
        "what the fake server sent");
    List<String> header = Files.readAllLines(file).subList(0, 4);
    assertEquals(
        List.of(
            "# POST /api/v1/namespaces/default/pods/demo/exec?command=echo&command=hi&container=main"
                + "&stderr=true&stdout=true",
            "# User-Agent: kubectl.1.33/v1.33.1 (linux/amd64) kubernetes/8adc0f0",
            "# Upgrade: SPDY/3.1, offered: v5.channel.k8s.io, v4.channel.k8s.io, v3.channel.k8s.io, v2.channel.k8s.io,"
                + " channel.k8s.io",
            "# HTTP/1.1 101 Switching Protocols, X-Stream-Protocol-Version: v5.channel.k8s.io"),
        header);
  }

  /**
   * kubectl 1.30+'s default: WebSocket v5. Its stdin and close signal are
   * golden/ws/kubectl-exec-v5.hex's.
   */
  @Test
  void webSocketExecReproducesKubectlsGoldenMessages() throws Exception {
    Result r = kubectl(null, "hello-stdin\n", "exec", "-i", "demo", "--", "cat");
    assertEquals(new Result(0, "hello-stdin\n", ""), r);
    GoldenLines golden = GoldenLines.golden("ws/kubectl-exec-v5.hex");
    GoldenLines captured = GoldenLines.read(written("ws/001-exec.hex"));
    assertEquals(
        List.of(
            new GoldenLines.Line("C>S", "binary-stdin", golden.named("stdin-hello").hex()),
            new GoldenLines.Line("C>S", "binary-close-stdin", golden.named("close-stdin").hex()),
            new GoldenLines.Line("C>S", "close.2", "03e8")),
        captured.from("C>S"),
        "close.2: it echoes the server's close");
    assertEquals(
        List.of(
            new GoldenLines.Line("S>C", "binary-stdout", golden.named("initial-stdout").hex()),
            new GoldenLines.Line(
                "S>C",
                "binary-stdout.2",
                "01" + HEX.formatHex("hello-stdin\n".getBytes(StandardCharsets.UTF_8))),
            new GoldenLines.Line("S>C", "binary-error", golden.named("status-success").hex()),
            new GoldenLines.Line("S>C", "close", "03e8")),
        captured.from("S>C"));
  }

  /** Waits until the proxy has finished a capture (both directions ended), and returns its path. */
  private Path written(String relative) throws InterruptedException {
    Path file = home.resolve("out").resolve(relative);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<String> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      String line = log.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null) {
        break;
      }
      seen.add(line);
      if (line.startsWith("wrote " + file + " ")) {
        return file;
      }
    }
    return fail("no capture " + file + " within 10 s; proxy log: " + seen);
  }

  private Result kubectl(String webSockets, String stdin, String... args) {
    Kubectl kubectl =
        new Kubectl(
            "1.33",
            Kubeconfigs.write(home.resolve("kubeconfig"), "http://127.0.0.1:" + port),
            home.resolve("cache"));
    if (webSockets != null) {
      kubectl.env("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", webSockets);
    }
    // stdin goes in one write, so kubectl reads it as one message
    ProcessResult r = kubectl.run(stdin, Duration.ofSeconds(30), args);
    return new Result(r.exitCode(), r.stdout(), r.stderr());
  }
}
