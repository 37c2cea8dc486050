package io.kubehop.streaming.cri;

import static io.kubehop.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.cri.v1.AttachRequest;
import io.kubehop.cri.v1.ExecRequest;
import io.kubehop.cri.v1.PortForwardRequest;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.remotecommand.ExitCodeException;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.client.SpdyExecutor;
import io.kubehop.streaming.remotecommand.server.RemoteCommandStreams;
import io.kubehop.testkit.BufferSink;
import io.kubehop.testkit.LogCapture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRI streaming server over a runtime of canned answers: tokens, refusals, one exec over SPDY,
 * its log line.
 */
class StreamingServerTest {

  /** HTTP/1.1 only: the JDK's default h2c offer is an upgrade request of its own. */
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /**
   * Held strongly: the LogManager keeps loggers only weakly, and the handler must stay on this one.
   */
  private static final Logger SERVER_LOG = Logger.getLogger(StreamingServer.class.getName());

  /** Upper-cases stdin to stdout, says bye on stderr and exits 3; knows no sandbox. */
  private static final class UpperCaseRuntime implements StreamingServer.Runtime {
    final List<String> execs = new CopyOnWriteArrayList<>();

    @Override
    public Future<Integer> exec(
        String containerId, List<String> cmd, RemoteCommandStreams streams) {
      execs.add(containerId + " " + cmd);
      Promise<Integer> exit = Promise.promise();
      streams
          .stdin()
          .handler(b -> streams.stdout().write(Buffer.buffer(b.toString().toUpperCase())));
      streams
          .stdin()
          .endHandler(
              v ->
                  streams.stderr().write(Buffer.buffer("bye\n")).onComplete(x -> exit.complete(3)));
      streams.stdin().resume();
      return exit.future();
    }

    @Override
    public Future<Integer> attach(String containerId, RemoteCommandStreams streams) {
      return Future.failedFuture("not attachable");
    }

    @Override
    public Optional<StreamingServer.PortForwardTarget> portForward(String podSandboxId) {
      return Optional.empty();
    }
  }

  @TempDir Path dir;

  private final LogCapture capture = new LogCapture();
  private final List<String> log = capture.messages();
  private final UpperCaseRuntime runtime = new UpperCaseRuntime();
  private Vertx vertx;
  private StreamingServer server;

  @BeforeEach
  void start() throws Exception {
    SERVER_LOG.addHandler(capture);
    vertx = Vertx.vertx();
    server = new StreamingServer(vertx, StreamingServer.Config.defaults(), runtime);
    await(server.start());
  }

  @AfterEach
  void stop() throws Exception {
    SERVER_LOG.removeHandler(capture);
    await(server.stop());
    await(vertx.close());
  }

  private static ExecRequest.Builder exec() {
    return ExecRequest.newBuilder()
        .setContainerId("c0ffee0123456789")
        .addCmd("upper")
        .setStdin(true)
        .setStdout(true)
        .setStderr(true);
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertNotFound(String url) throws Exception {
    HttpResponse<String> response = get(url);
    assertEquals(404, response.statusCode(), url);
    assertEquals("404 page not found\n", response.body());
    assertEquals(
        "text/plain; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
  }

  @Test
  void defaultsAreUpstreamsWithAFreeLoopbackPort() {
    StreamingServer.Config config = StreamingServer.Config.defaults();
    assertEquals("127.0.0.1", config.address());
    assertEquals(0, config.port());
    assertEquals(null, config.baseUrl());
    assertEquals(Duration.ofHours(4), config.streamIdleTimeout());
    assertEquals(Duration.ofSeconds(30), config.streamCreationTimeout());
    assertEquals(
        List.of(
            "v5.channel.k8s.io",
            "v4.channel.k8s.io",
            "v3.channel.k8s.io",
            "v2.channel.k8s.io",
            "channel.k8s.io"),
        config.supportedRemoteCommandProtocols());
    assertEquals(List.of("portforward.k8s.io"), config.supportedPortForwardProtocols());
    assertEquals(Duration.ofMinutes(1), config.tokenTtl());
    assertEquals(1000, config.maxInFlight());
  }

  @Test
  void anExecRoundTripsOverSpdyThenItsTokenIsGone() throws Exception {
    String url = server.getExec(exec().build()).getUrl();
    assertTrue(url.matches(server.baseUrl().replace(".", "\\.") + "/exec/[A-Za-z0-9_-]{8}"), url);
    Path input = Files.writeString(dir.resolve("in"), "hello\nworld\n");
    BufferSink stdout = new BufferSink();
    BufferSink stderr = new BufferSink();
    URI uri = URI.create(url);
    Future<Void> done =
        new SpdyExecutor(vertx, vertx.createNetClient())
            .stream(
                new SpdyExecutor.Target(
                    uri.getHost(),
                    uri.getPort(),
                    "POST",
                    uri.getPath(),
                    Map.of(StreamHeaders.SESSION, "sess-7")),
                new StreamOptions(true, true, true, false),
                await(vertx.fileSystem().open(input.toString(), new OpenOptions().setRead(true))),
                stdout,
                stderr);
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(done));
    assertEquals(3, assertInstanceOf(ExitCodeException.class, e.getCause()).code());
    assertEquals("HELLO\nWORLD\n", await(stdout.ended()).toString());
    assertEquals("bye\n", await(stderr.ended()).toString());
    assertEquals(List.of("c0ffee0123456789 [upper]"), runtime.execs);
    String line =
        log.stream().filter(l -> l.startsWith("session sess-7 ")).findFirst().orElseThrow();
    assertTrue(
        line.matches(
            "session sess-7 exec \\[upper] in container c0ffee0123456 stdin,stdout,stderr: exit 3 "
                + "after \\d+ms"),
        line);

    assertNotFound(url); // replayed
  }

  @Test
  void aTokenServesOnlyItsKindAndOnlyOnce() throws Exception {
    String url = server.getExec(exec().build()).getUrl();
    assertNotFound(url.replace("/exec/", "/attach/"));
    assertNotFound(url); // consumed by the wrong-kind attempt, as upstream's cache does
    assertNotFound(server.baseUrl() + "/exec/");
    assertNotFound(server.baseUrl() + "/portforward/abcdefgh");
    assertEquals(List.of(), runtime.execs);
  }

  @Test
  void aForwardIntoAnUnknownSandboxIsNotFound() throws Exception {
    String url =
        server
            .getPortForward(
                PortForwardRequest.newBuilder().setPodSandboxId("gone").addPort(80).build())
            .getUrl();
    assertNotFound(url);
  }

  @Test
  void requestsAreValidatedAsUpstreamAndBoundedInFlight() {
    StatusException tty =
        assertThrows(
            StatusException.class,
            () -> server.getExec(exec().setStdin(false).setTty(true).build()));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, tty.status());
    assertEquals("tty and stderr cannot both be true", tty.message());
    StatusException none =
        assertThrows(
            StatusException.class,
            () -> server.getAttach(AttachRequest.newBuilder().setContainerId("c").build()));
    assertEquals("one of stdin, stdout, and stderr must be set", none.message());
    StatusException noSandbox =
        assertThrows(
            StatusException.class,
            () -> server.getPortForward(PortForwardRequest.getDefaultInstance()));
    assertEquals("missing required pod_sandbox_id", noSandbox.message());

    StreamingServer.Config d = StreamingServer.Config.defaults();
    StreamingServer one =
        new StreamingServer(
            vertx,
            new StreamingServer.Config(
                d.address(),
                d.port(),
                "http://runtime.invalid:1",
                d.streamIdleTimeout(),
                d.streamCreationTimeout(),
                d.supportedRemoteCommandProtocols(),
                d.supportedPortForwardProtocols(),
                d.tokenTtl(),
                1,
                d.streamKeepalive()),
            runtime);
    assertTrue(one.getExec(exec().build()).getUrl().startsWith("http://runtime.invalid:1/exec/"));
    StatusException busy = assertThrows(StatusException.class, () -> one.getExec(exec().build()));
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, busy.status());
    assertEquals("maximum number of in-flight requests exceeded", busy.message());
  }
}
