package io.kubehop.streaming.remotecommand.server;

import static io.kubehop.testkit.Await.await;
import static io.kubehop.testkit.WebSocketRecorder.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.TerminalSize;
import io.kubehop.streaming.websocket.ChannelHandshake;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.WebSocketRecorder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket transport of {@link RemoteCommandServer} over real sockets, with Vert.x's WebSocket
 * client.
 */
class WebSocketRemoteCommandServerTest {

  private static final String SUCCESS = hex("{\"metadata\":{},\"status\":\"Success\"}");

  private Vertx vertx;
  private WebSocketClient client;
  private int port;
  private volatile StreamOptions options = new StreamOptions(true, true, true, false);
  private volatile Executor executor;
  private final List<TerminalSize> sizes = new CopyOnWriteArrayList<>();
  private final AtomicInteger sessionsEnded = new AtomicInteger();
  private volatile long pingMillis;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20));
    HttpServer server =
        vertx.createHttpServer(
            ChannelHandshake.configure(new HttpServerOptions().setHost("127.0.0.1")));
    server.requestHandler(
        req ->
            RemoteCommandServer.exec(vertx)
                .keepalive(Duration.ofMillis(pingMillis))
                .serve(req, options, executor)
                .onComplete(ar -> sessionsEnded.incrementAndGet()));
    port = await(server.listen(0)).actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Executor echo(int code) {
    return new EchoExecutor(code, sizes);
  }

  /** Echoes the first stdin chunk and exits 0 (v4 has no stdin EOF). */
  private Executor echoOnce() {
    return streams -> {
      Promise<Integer> exit = Promise.promise();
      streams.stdin().handler(b -> streams.stdout().write(b).onComplete(v -> exit.tryComplete(0)));
      streams.stdin().resume();
      return exit.future();
    };
  }

  private ClientWebSocket ws;
  private WebSocketRecorder rec;

  /**
   * Connects with the recorder in place before the handshake, so the initial message is never
   * missed.
   */
  private WebSocket connect(String... protocols) throws Exception {
    ws = client.webSocket();
    rec = new WebSocketRecorder(ws);
    return await(
        ws.connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI("/exec/x")
                .setSubProtocols(List.of(protocols))));
  }

  @Test
  void v5EchoWithStdinCloseSignal() throws Exception {
    executor = echo(0);
    connect("v5.channel.k8s.io");
    assertEquals("v5.channel.k8s.io", ws.subProtocol());
    ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) 0).appendString("hello\n"));
    ws.writeBinaryMessage(Buffer.buffer(new byte[] {(byte) 0xff, 0}));
    rec.awaitClosed();
    assertEquals(
        List.of("B 01", "B 01" + hex("hello\n"), "B 03" + SUCCESS, "close 1000"), rec.events);
  }

  /**
   * client-java sends {@code ff 00} twice (on close and again at teardown); the second one is
   * harmless.
   */
  @Test
  void repeatedCloseSignalIsTolerated() throws Exception {
    executor = echo(0);
    connect("v5.channel.k8s.io", "v4.channel.k8s.io");
    assertEquals("v5.channel.k8s.io", ws.subProtocol());
    ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) 0).appendString("java\n"));
    ws.writeBinaryMessage(Buffer.buffer(new byte[] {(byte) 0xff, 0}));
    ws.writeBinaryMessage(Buffer.buffer(new byte[] {(byte) 0xff, 0}));
    rec.awaitClosed();
    assertEquals(
        List.of("B 01", "B 01" + hex("java\n"), "B 03" + SUCCESS, "close 1000"), rec.events);
  }

  @Test
  void stderrAndExitCodeFromAProcess() throws Exception {
    options = new StreamOptions(false, true, true, false);
    executor =
        new ProcessExecutor(
            vertx, List.of("sh", "-c", "echo out; sleep 0.1; echo err >&2; exit 3"));
    connect("v5.channel.k8s.io");
    rec.awaitClosed();
    assertEquals(
        List.of(
            "B 01",
            "B 01" + hex("out\n"),
            "B 02" + hex("err\n"),
            "B 03"
                + hex(
                    "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit"
                        + " code: exit status 3\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\","
                        + "\"message\":\"3\"}]}}"),
            "close 1000"),
        rec.events);
  }

  @Test
  void v4StdinAsTextFrame() throws Exception {
    executor = echoOnce();
    connect("v4.channel.k8s.io");
    ws.writeTextMessage("\u0000py-stdin\n"); // python's client sends stdin in TEXT frames
    rec.awaitClosed();
    assertEquals(
        List.of("B 01", "B 01" + hex("py-stdin\n"), "B 03" + SUCCESS, "close 1000"), rec.events);
  }

  @Test
  void base64Variants() throws Exception {
    executor = echoOnce();
    connect("v4.base64.channel.k8s.io");
    ws.writeTextMessage("0aGkK"); // "hi\n" on stdin
    rec.awaitClosed();
    assertEquals(
        List.of(
            "T 1", "T 1aGkK", "T 3eyJtZXRhZGF0YSI6e30sInN0YXR1cyI6IlN1Y2Nlc3MifQ==", "close 1000"),
        rec.events);

    options = new StreamOptions(false, false, true, false);
    executor = streams -> streams.stderr().write(Buffer.buffer("e")).map(1);
    WebSocket legacy = connect("base64.channel.k8s.io");
    WebSocketRecorder rec2 = rec;
    rec2.awaitClosed(); // plain-text errors before v4
    assertEquals(
        List.of(
            "T 2",
            "T 2ZQ==",
            "T 3"
                + Base64.getEncoder()
                    .encodeToString(
                        "command terminated with non-zero exit code: exit status 1"
                            .getBytes(StandardCharsets.UTF_8)),
            "close 1000"),
        rec2.events);
  }

  @Test
  void resizeJsonIsDeliveredAndGarbageClosesWith1007() throws Exception {
    options = new StreamOptions(true, true, false, true);
    executor = echo(0);
    connect("v5.channel.k8s.io");
    ws.writeBinaryMessage(
        Buffer.buffer().appendByte((byte) 4).appendString("{\"Width\":80,\"Height\":24}\n"));
    ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) 4).appendString("not json"));
    ws.writeBinaryMessage(
        Buffer.buffer().appendByte((byte) 4).appendString("{\"Width\":1,\"Height\":1}"));
    rec.awaitClosed();
    assertEquals(List.of(new TerminalSize(80, 24)), sizes);
    assertEquals(List.of("B 01", "close 1007"), rec.events);
  }

  @Test
  void anUnknownChannelClosesWith1002() throws Exception {
    options = new StreamOptions(true, true, false, true);
    executor = echo(0);
    connect("v5.channel.k8s.io");
    ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) 0).appendString("alive"));
    ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) 7).appendString("unknown channel"));
    rec.awaitClosed();
    assertEquals(List.of("B 01", "B 01" + hex("alive"), "close 1002"), rec.events);
  }

  @Test
  void malformedCloseSignalClosesWith1002() throws Exception {
    v5EchoWithStdinCloseSignal(); // warm up: event loops and selectors exist before the count
    long fds = openFds();
    sessionsEnded.set(0);
    executor = echo(0);
    connect("v5.channel.k8s.io");
    ws.writeBinaryMessage(Buffer.buffer(new byte[] {(byte) 0xff, 0, 0}));
    rec.awaitClosed();
    assertEquals(List.of("B 01", "close 1002"), rec.events);
    Await.until("the session to end", () -> sessionsEnded.get() == 1);
    Await.until("descriptors to be released", () -> openFds() <= fds);
  }

  @Test
  void oversizedMessageClosesWith1009() throws Exception {
    v5EchoWithStdinCloseSignal(); // warm up: event loops and selectors exist before the count
    long fds = openFds();
    sessionsEnded.set(0);
    executor = echo(0);
    connect("v5.channel.k8s.io");
    ws.writeBinaryMessage(Buffer.buffer(new byte[16 * 1024 * 1024 + 2]));
    rec.awaitClosed();
    assertEquals(List.of("B 01", "close 1009"), rec.events);
    Await.until("the session to end", () -> sessionsEnded.get() == 1);
    Await.until("descriptors to be released", () -> openFds() <= fds);
  }

  @Test
  void pingsAreAnswered() throws Exception {
    executor = echo(0);
    connect("v5.channel.k8s.io");
    Promise<Buffer> pong = Promise.promise();
    ws.pongHandler(pong::tryComplete);
    ws.writePing(Buffer.buffer("hb"));
    assertEquals("hb", await(pong.future()).toString());
    ws.writeBinaryMessage(Buffer.buffer(new byte[] {(byte) 0xff, 0}));
  }

  @Test
  void serverPingsWhenAsked() throws Exception {
    pingMillis = 20;
    executor = echo(0);
    ws = client.webSocket();
    Promise<Void> pinged = Promise.promise();
    ws.frameHandler(
        f -> {
          if (f.isPing()) {
            pinged.tryComplete();
          }
        });
    await(
        ws.connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI("/exec/x")
                .setSubProtocols(List.of("v5.channel.k8s.io"))));
    await(pinged.future()); // Vert.x answers with a pong on its own
    ws.writeBinaryMessage(Buffer.buffer(new byte[] {(byte) 0xff, 0}));
  }

  @Test
  void noSharedProtocolIs403() throws Exception {
    executor = echo(0);
    ExecutionException e =
        Assertions.assertThrows(ExecutionException.class, () -> connect("v9.channel.k8s.io"));
    assertEquals(403, ((UpgradeRejectedException) e.getCause()).getStatus());
  }

  @Test
  void offersAsRepeatedAndCommaJoinedHeaders() throws Exception {
    executor = streams -> Future.succeededFuture(0);
    assertTrue(
        rawHandshake(
                "Sec-WebSocket-Protocol: bogus\r\nSec-WebSocket-Protocol: v4.channel.k8s.io\r\n")
            .contains("\r\nsec-websocket-protocol: v4.channel.k8s.io\r\n"));
    assertTrue(
        rawHandshake(
                "Sec-WebSocket-Protocol: v5.channel.k8s.io,v4.channel.k8s.io,channel.k8s.io\r\n")
            .contains("\r\nsec-websocket-protocol: v5.channel.k8s.io\r\n"));
    String none = rawHandshake("");
    assertTrue(none.startsWith("HTTP/1.1 101"), none);
    assertTrue(!none.contains("sec-websocket-protocol"), none);
  }

  /** A client that leaves in the middle of its handshake request leaves nothing behind. */
  @Test
  void closeBeforeTheHandshakeFinishes() throws Exception {
    executor = echo(0);
    long fds = openFds();
    for (int i = 0; i < 20; i++) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.getOutputStream()
            .write(
                ("GET /exec/x HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
      }
    }
    Await.until(
        "descriptors to be released (" + openFds() + " > " + fds + ")", () -> openFds() <= fds + 2);
    v5EchoWithStdinCloseSignal(); // the server still works
  }

  private String rawHandshake(String protocolLines) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET /exec/x HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                  + protocolLines
                  + "\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = s.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int c = in.read();
        if (c < 0) {
          break;
        }
        head.append((char) c);
      }
      return head.toString().toLowerCase(Locale.ROOT).replace("http/1.1", "HTTP/1.1");
    }
  }

  static long openFds() {
    try (var list = Files.list(Path.of("/proc/self/fd"))) {
      return list.count();
    } catch (IOException e) {
      return -1;
    }
  }

  @SuppressWarnings("unused")
  private static boolean isData(WebSocketFrame f) {
    return f.isBinary() || f.isText();
  }
}
