package io.kubehop.streaming.proxy;

import static io.kubehop.testkit.Await.await;
import static io.kubehop.testkit.WebSocketRecorder.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.remotecommand.ExitCodeException;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.TerminalSize;
import io.kubehop.streaming.remotecommand.client.WebSocketExecutor;
import io.kubehop.streaming.remotecommand.server.Executor;
import io.kubehop.streaming.remotecommand.server.ProcessExecutor;
import io.kubehop.streaming.remotecommand.server.RemoteCommandServer;
import io.kubehop.streaming.transport.PostUpgrades;
import io.kubehop.streaming.websocket.ChannelHandshake;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.BufferSink;
import io.kubehop.testkit.WebSocketRecorder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.streams.ReadStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WebSocket v5 client → {@link TranslatingHandler}/{@link StreamTranslator} → SPDY {@link
 * RemoteCommandServer} (kubelet role) with a process executor, over real sockets.
 */
class StreamTranslatorTest {

  private Vertx vertx;
  private WebSocketClient client;
  private final HopRegistry hops = new HopRegistry();
  private int frontPort;
  private int backendPort;
  private volatile Executor backendExecutor;
  private volatile String backendSession;
  private volatile String backendForwardedFor;
  private volatile io.vertx.core.http.HttpConnection backendConnection;
  @TempDir Path dir;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20));
    HttpServer backend =
        vertx.createHttpServer(
            PostUpgrades.configure(new HttpServerOptions().setHost("127.0.0.1")));
    PostUpgrades.install(backend);
    backend.requestHandler(this::backend);
    backendPort = await(backend.listen(0)).actualPort();
    TranslatingHandler handler =
        new TranslatingHandler(
            new StreamTranslator(vertx, hops),
            new UpgradeAwareProxy(
                vertx, ErrorResponder.status(), UpgradeAwareProxy.RedirectPolicy.NEVER, hops));
    HttpServer front =
        vertx.createHttpServer(
            ChannelHandshake.configure(new HttpServerOptions().setHost("127.0.0.1")));
    front.requestHandler(
        req -> {
          String kubelet =
              "http://127.0.0.1:"
                  + backendPort
                  + (req.path().endsWith("/missing") ? "/missing" : "/exec")
                  + "?"
                  + StreamOptions.fromApiServerQuery(req.params()).toKubeletQuery()
                  + commands(req);
          handler.handle(req, URI.create(kubelet), StreamOptions.fromApiServerQuery(req.params()));
        });
    frontPort = await(front.listen(0)).actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String commands(HttpServerRequest req) {
    StringBuilder b = new StringBuilder();
    req.params()
        .getAll("command")
        .forEach(c -> b.append("&command=").append(URLEncoder.encode(c, StandardCharsets.UTF_8)));
    return b.toString();
  }

  private void backend(HttpServerRequest req) {
    if (req.path().equals("/missing")) {
      req.response()
          .setStatusCode(404)
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("pod does not exist\n");
      return;
    }
    backendSession = req.getHeader(StreamHeaders.SESSION);
    backendConnection = req.connection();
    backendForwardedFor = req.getHeader("X-Forwarded-For");
    StreamOptions options = StreamOptions.fromKubeletQuery(req.params());
    Executor executor =
        backendExecutor != null
            ? backendExecutor
            : new ProcessExecutor(vertx, req.params().getAll("command"));
    RemoteCommandServer.exec(vertx).serve(req, options, executor);
  }

  private static String query(String flags, String... command) {
    StringBuilder b = new StringBuilder("/api/v1/namespaces/default/pods/demo/exec?" + flags);
    for (String c : command) {
      b.append("&command=").append(URLEncoder.encode(c, StandardCharsets.UTF_8));
    }
    return b.toString();
  }

  private WebSocketRecorder raw(String uri) throws Exception {
    ClientWebSocket ws = client.webSocket();
    WebSocketRecorder rec = new WebSocketRecorder(ws);
    await(
        ws.connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(frontPort)
                .setURI(uri)
                .setSubProtocols(List.of("v5.channel.k8s.io"))));
    return rec;
  }

  private Future<Void> exec(
      String uri, StreamOptions options, ReadStream<Buffer> stdin, BufferSink out, BufferSink err) {
    return new WebSocketExecutor(vertx, client)
        .stream("127.0.0.1", frontPort, uri, Map.of(), options, stdin, out, err, null);
  }

  @Test
  void echoOverTheTranslatorIsRecordedAsATranslatedHop() throws Exception {
    WebSocketRecorder rec = raw(query("stdout=true&stderr=true", "echo", "hello"));
    rec.awaitClosed();
    assertEquals(
        List.of(
            "B 01",
            "B 01" + hex("hello\n"),
            "B 03" + hex("{\"metadata\":{},\"status\":\"Success\"}"),
            "close 1000"),
        rec.events);
    Await.until("the hop to leave the registry", () -> hops.size() == 0);
  }

  @Test
  void aBackendThatGoesAwayWithoutAStatusIsNamedOnTheErrorChannel() throws Exception {
    // The kubelet dies mid-command: upstream's translator reports Success (kubectl exits 0).
    backendExecutor =
        streams -> {
          backendConnection.close();
          return Promise.<Integer>promise().future();
        };
    ClientWebSocket ws = client.webSocket();
    WebSocketRecorder rec = new WebSocketRecorder(ws);
    await(
        ws.connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(frontPort)
                .setURI(query("stdin=true&stdout=true", "cat"))
                .addHeader(StreamHeaders.SESSION, "cli-0123456789abcdef")
                .setSubProtocols(List.of("v5.channel.k8s.io"))));
    assertEquals("cli-0123456789abcdef", ws.headers().get(StreamHeaders.SESSION), "echoed in 101");
    rec.awaitClosed();
    assertEquals(3, rec.events.size(), rec.events.toString());
    assertEquals("B 01", rec.events.get(0));
    assertTrue(rec.events.get(1).startsWith("B 03"), rec.events.toString());
    String status =
        new String(
            java.util.HexFormat.of().parseHex(rec.events.get(1).substring(4)),
            StandardCharsets.UTF_8);
    assertTrue(
        status.matches(
            "\\{\"metadata\":\\{},\"status\":\"Failure\",\"message\":\"connection to backend"
                + " \\(127\\.0\\.0\\.1:"
                + backendPort
                + "\\) lost after \\d+\\.\\d s\",\"reason\":\"InternalError\",\"code\":500}"),
        status);
    assertEquals("close 1000", rec.events.get(2));
    Await.until("the hop remembered", () -> hops.closed().size() == 1);
    HopSession hop = hops.closed().get(0);
    assertEquals("cli-0123456789abcdef", hop.id());
    assertEquals(SessionEnd.Side.BACKEND, hop.ended().orElseThrow().first());
    assertEquals(SessionEnd.How.CLOSED, hop.ended().orElseThrow().how());
    assertTrue(hop.statusDelivered());
  }

  @Test
  void aNormalEndIsRecordedWithItsStatusDelivered() throws Exception {
    raw(query("stdout=true", "true")).awaitClosed();
    Await.until("the hop remembered", () -> hops.closed().size() == 1);
    HopSession hop = hops.closed().get(0);
    assertEquals(SessionEnd.Side.BACKEND, hop.ended().orElseThrow().first());
    assertTrue(hop.statusDelivered());
  }

  @Test
  void hopRecord() throws Exception {
    Promise<HopSession> seen = Promise.promise();
    backendExecutor =
        streams -> {
          seen.tryComplete(hops.active().iterator().next());
          return Future.succeededFuture(0);
        };
    raw(query("stdout=true", "true")).awaitClosed();
    HopSession hop = await(seen.future());
    assertEquals(HopSession.Kind.TRANSLATED, hop.kind());
    assertEquals("v5.channel.k8s.io", hop.downstreamProtocol());
    assertEquals("v4.channel.k8s.io", hop.upstreamProtocol());
    assertEquals(backendPort, hop.upstreamRemote().port());
    assertEquals(frontPort, hop.downstreamLocal().port());
    assertEquals(hop.id(), backendSession);
    assertEquals("127.0.0.1", backendForwardedFor);
    await(hop.closeFuture());
  }

  @Test
  void stderrIsSeparatedAndTheExitCodeArrives() throws Exception {
    BufferSink out = new BufferSink();
    BufferSink err = new BufferSink();
    ExecutionException e =
        Assertions.assertThrows(
            ExecutionException.class,
            () ->
                await(
                    exec(
                        query(
                            "stdout=true&stderr=true",
                            "sh",
                            "-c",
                            "echo out; echo err >&2; exit 3"),
                        new StreamOptions(false, true, true, false),
                        null,
                        out,
                        err)));
    ExitCodeException exit = assertInstanceOf(ExitCodeException.class, e.getCause());
    assertEquals(3, exit.code());
    assertEquals("command terminated with exit code 3", exit.getMessage());
    assertEquals("out\n", await(out.ended()).toString());
    assertEquals("err\n", await(err.ended()).toString());
  }

  @ParameterizedTest(name = "exit {0}")
  @ValueSource(ints = {0, 3, 137})
  void exitCodes(int code) throws Exception {
    String script = code == 137 ? "kill -9 $$" : "exit " + code;
    WebSocketRecorder rec = raw(query("stdout=true", "sh", "-c", script));
    rec.awaitClosed();
    String status =
        code == 0
            ? "{\"metadata\":{},\"status\":\"Success\"}"
            : "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit code: command "
                + "terminated with exit code "
                + code
                + "\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":"
                + "[{\"reason\":\"ExitCode\",\"message\":\""
                + code
                + "\"}]}}";
    assertEquals(List.of("B 01", "B 03" + hex(status), "close 1000"), rec.events);
  }

  @Test
  void stdinCloseSignalBecomesTheSpdyFin() throws Exception {
    Path input = Files.writeString(dir.resolve("in"), "x\n");
    AsyncFile stdin =
        await(vertx.fileSystem().open(input.toString(), new OpenOptions().setRead(true)));
    BufferSink out = new BufferSink();
    await(
        exec(
            query("stdin=true&stdout=true&stderr=true", "cat"),
            new StreamOptions(true, true, true, false),
            stdin,
            out,
            new BufferSink()));
    assertEquals("x\n", await(out.ended()).toString());
  }

  /**
   * tty: resize JSON on channel 4 reaches the backend's resize stream; stdin and its close go
   * through.
   */
  @Test
  void ttyResizeAndStdinAreTranslated() throws Exception {
    List<TerminalSize> sizes = new CopyOnWriteArrayList<>();
    backendExecutor =
        streams -> {
          Promise<Integer> exit = Promise.promise();
          streams.resizeHandler(sizes::add);
          streams.stdin().handler(b -> streams.stdout().write(b));
          streams.stdin().endHandler(v -> exit.complete(0));
          streams.stdin().resume();
          return exit.future();
        };
    ClientWebSocket ws = client.webSocket();
    WebSocketRecorder rec = new WebSocketRecorder(ws);
    await(
        ws.connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(frontPort)
                .setURI(query("stdin=true&stdout=true&tty=true", "sh"))
                .setSubProtocols(List.of("v5.channel.k8s.io"))));
    ws.writeBinaryMessage(
        Buffer.buffer().appendByte((byte) 4).appendString("{\"Width\":80,\"Height\":24}\n"));
    Await.until("the resize to reach the backend", () -> !sizes.isEmpty());
    ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) 0).appendString("typed\r"));
    ws.writeBinaryMessage(Buffer.buffer(new byte[] {(byte) 0xff, 0}));
    rec.awaitClosed();
    assertEquals(List.of(new TerminalSize(80, 24)), sizes);
    assertEquals(
        List.of(
            "B 01",
            "B 01" + hex("typed\r"),
            "B 03" + hex("{\"metadata\":{},\"status\":\"Success\"}"),
            "close 1000"),
        rec.events);
  }

  @Test
  void upstreamRefusalArrivesAsAStatusOnChannel3() throws Exception {
    WebSocketRecorder rec =
        raw("/api/v1/namespaces/default/pods/demo/missing?stdout=true&command=true");
    rec.awaitClosed();
    assertEquals(
        List.of(
            "B 01",
            "B 03"
                + hex(
                    "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"Internal error "
                        + "occurred: unable to upgrade connection: pod does not exist\",\"reason\":\"InternalError\",\"details\":"
                        + "{\"causes\":[{\"message\":\"unable to upgrade connection: pod does not exist\"}]},\"code\":500}"),
            "close 1000"),
        rec.events);
  }

  @Test
  void v4WebSocketPassesThroughTheProxyToTheBackendsWebSocketServer() throws Exception {
    ClientWebSocket ws = client.webSocket();
    WebSocketRecorder rec = new WebSocketRecorder(ws);
    await(
        ws.connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(frontPort)
                .setURI(query("stdout=true", "echo", "v4"))
                .setSubProtocols(List.of("v4.channel.k8s.io"))));
    rec.awaitClosed();
    assertEquals(
        List.of(
            "B 01",
            "B 01" + hex("v4\n"),
            "B 03" + hex("{\"metadata\":{},\"status\":\"Success\"}"),
            "close 1000"),
        rec.events);
  }

  /**
   * 64 MiB from the backend to a reader that reads its socket at 40 MiB/s: everything arrives, the
   * producer never runs far ahead of the reader (nothing buffers without bound), and stdin still
   * flows meanwhile.
   */
  @Test
  void slowReaderBoundsTheBuffersAndStdinStillFlows() throws Exception {
    long total = 64L * 1024 * 1024;
    AtomicLong produced = new AtomicLong();
    SlowRawWebSocket[] reader = new SlowRawWebSocket[1];
    AtomicLong maxLead = new AtomicLong();
    Promise<String> stdinSeen = Promise.promise();
    backendExecutor =
        streams -> {
          Promise<Integer> exit = Promise.promise();
          streams.stdin().handler(b -> stdinSeen.tryComplete(b.toString()));
          streams.stdin().resume();
          Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
          Runnable[] pump = new Runnable[1];
          pump[0] =
              () -> {
                while (produced.get() < total) {
                  streams.stdout().write(chunk);
                  maxLead.accumulateAndGet(
                      produced.addAndGet(chunk.length())
                          - (reader[0] == null ? 0 : reader[0].stdout.get()),
                      Math::max);
                  if (streams.stdout().writeQueueFull()) {
                    streams.stdout().drainHandler(v -> pump[0].run());
                    return;
                  }
                }
                exit.tryComplete(0);
              };
          pump[0].run();
          return exit.future();
        };
    SlowRawWebSocket ws =
        reader[0] =
            new SlowRawWebSocket(
                frontPort, query("stdin=true&stdout=true", "ignored"), 40L * 1024 * 1024);
    ws.send(Buffer.buffer().appendByte((byte) 0).appendString("still typing").getBytes());
    assertEquals("still typing", await(stdinSeen.future()));
    assertTrue(ws.stdout.get() < total, "stdin got through while output was still pending");
    assertEquals(1000, ws.closeCode.get(60, TimeUnit.SECONDS));
    assertEquals(total, ws.stdout.get());
    assertTrue(
        maxLead.get() < 32L * 1024 * 1024,
        "producer ran " + maxLead.get() + " bytes ahead of the reader");
  }
}
