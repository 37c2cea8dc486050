package io.kubehop.streaming.proxy;

import static io.kubehop.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.StreamProtocol;
import io.kubehop.streaming.spdy.SpdyUpgrade;
import io.kubehop.streaming.transport.Liveness;
import io.kubehop.streaming.transport.PostUpgrades;
import io.kubehop.streaming.websocket.ChannelHandshake;
import io.kubehop.testkit.Await;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link StreamTranslator}'s {@link Liveness}: its keepalive pings both hops it holds (a
 * WebSocket ping to the client, a SPDY PING to the next hop), and its idle timeout ends a silent
 * session however many pings cross it (wsstream's deadline counts messages, not pings).
 */
class TranslatorLivenessTest {

  private Vertx vertx;
  private WebSocketClient client;
  private final HopRegistry hops = new HopRegistry();
  private final Buffer backendReceived = Buffer.buffer();
  private int backendPort;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    client = vertx.createWebSocketClient();
    // The next hop: a SPDY server that accepts the translator's streams and records its bytes.
    HttpServer backend =
        PostUpgrades.install(
            vertx.createHttpServer(
                PostUpgrades.configure(new HttpServerOptions().setHost("127.0.0.1"))));
    backend.requestHandler(
        req ->
            SpdyUpgrade.serve(
                vertx,
                req,
                StreamProtocol.SPDY_SERVER_DEFAULT,
                Duration.ZERO,
                (negotiated, session) -> {
                  session.tap(
                      bytes -> {
                        synchronized (backendReceived) {
                          backendReceived.appendBuffer(bytes);
                        }
                      },
                      bytes -> {});
                  session.newStreamHandler(stream -> stream.handler(b -> {}));
                  return session.closeFuture();
                }));
    backendPort = await(backend.listen(0)).actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private int front(Liveness liveness) throws Exception {
    StreamTranslator translator =
        new StreamTranslator(
            vertx, vertx.createNetClient(), hops, UpgradeAwareProxy.RedirectPolicy.NEVER, liveness);
    HttpServer front =
        vertx.createHttpServer(
            ChannelHandshake.configure(new HttpServerOptions().setHost("127.0.0.1")));
    front.requestHandler(
        req ->
            translator.translate(
                req,
                URI.create(
                    "http://127.0.0.1:" + backendPort + "/exec/ns/pod/c?input=1&output=1&tty=1"),
                StreamOptions.fromApiServerQuery(req.params())));
    return await(front.listen(0)).actualPort();
  }

  private ClientWebSocket connect(int port, AtomicInteger pings) throws Exception {
    ClientWebSocket ws = client.webSocket();
    ws.frameHandler(
        f -> {
          if (f.isPing()) {
            pings.incrementAndGet();
          }
        });
    await(
        ws.connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI("/exec?stdin=true&stdout=true&tty=true&command=sh")
                .setSubProtocols(List.of("v5.channel.k8s.io"))));
    return ws;
  }

  private String backendHex() {
    synchronized (backendReceived) {
      return HexFormat.of().formatHex(backendReceived.getBytes());
    }
  }

  @Test
  void keepalivePingsTheClientAndTheNextHop() throws Exception {
    int port = front(new Liveness(Liveness.UPSTREAM_IDLE_TIMEOUT, Duration.ofMillis(50)));
    AtomicInteger pings = new AtomicInteger();
    ClientWebSocket ws = connect(port, pings);
    Await.until("3 WebSocket pings at the client", () -> pings.get() >= 3);
    // The translator is the SPDY client: odd PING ids 1, 3, 5, as bytes on the wire.
    Await.until(
        "SPDY PINGs 1, 3 and 5 at the next hop",
        () ->
            backendHex().contains("800300060000000400000001")
                && backendHex().contains("800300060000000400000003")
                && backendHex().contains("800300060000000400000005"));
    assertTrue(!ws.isClosed());
  }

  @Test
  void withoutKeepaliveNothingPings() throws Exception {
    int port = front(new Liveness(Liveness.UPSTREAM_IDLE_TIMEOUT, Duration.ZERO));
    AtomicInteger pings = new AtomicInteger();
    ClientWebSocket ws = connect(port, pings);
    // A message both ways proves the session is up; then 300 ms of nothing.
    Await.until("the SPDY session", () -> backendHex().length() > 0);
    long at = System.nanoTime();
    Await.until("300 ms", Duration.ofSeconds(2), () -> System.nanoTime() - at >= 300_000_000L);
    assertEquals(0, pings.get());
    assertTrue(!backendHex().contains("80030006"), "no SPDY PING frame");
    assertTrue(!ws.isClosed());
  }

  @Test
  void aSilentSessionEndsAfterTheIdleTimeoutThoughPingsCrossIt() throws Exception {
    int port = front(new Liveness(Duration.ofMillis(400), Duration.ofMillis(50)));
    AtomicInteger pings = new AtomicInteger();
    Promise<Short> closed = Promise.promise();
    long at = System.nanoTime();
    ClientWebSocket ws = connect(port, pings);
    ws.closeHandler(v -> closed.tryComplete(ws.closeStatusCode()));
    assertEquals((short) 1000, await(closed.future(), Duration.ofSeconds(5)));
    long lasted = (System.nanoTime() - at) / 1_000_000;
    assertTrue(lasted >= 380, "closed after " + lasted + " ms");
    assertTrue(pings.get() >= 3, pings.get() + " pings before the close");
    Await.until("the hop ended", () -> hops.size() == 0);
  }
}
