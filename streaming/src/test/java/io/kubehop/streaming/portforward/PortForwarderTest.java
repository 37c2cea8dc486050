package io.kubehop.streaming.portforward;

import static io.kubehop.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.streaming.portforward.client.ForwardedPort;
import io.kubehop.streaming.portforward.client.PortForwarder;
import io.kubehop.streaming.proxy.HopRegistry;
import io.kubehop.streaming.proxy.TunnelingHandler;
import io.kubehop.streaming.spdy.SpdyDialer;
import io.kubehop.streaming.spdy.TunnelingDialer;
import io.kubehop.streaming.transport.PostUpgrades;
import io.kubehop.testkit.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.NetClient;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client {@link PortForwarder} against {@link PortForwardServer} and a {@link FakePod}, over a
 * SPDY upgrade and over the WebSocket tunnel ({@link TunnelingDialer} → {@link TunnelingHandler} →
 * SPDY): kubectl's lines, exact bytes both ways with the local half-close, a refused port that
 * leaves the forward alive, a gone pod reported without ending the forward, and a local client that
 * does not read holding the pod back.
 */
class PortForwarderTest {

  private Vertx vertx;
  private NetClient netClient;
  private WebSocketClient webSocketClient;
  private FakePod pod;
  private int spdyPort;
  private int tunnelPort;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PortForwarder forwarder;
  private Future<Void> forwarding;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    netClient = vertx.createNetClient();
    webSocketClient =
        vertx.createWebSocketClient(
            new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxMessageSize(64 << 20));
    pod = new FakePod(vertx);
    HttpServer server =
        vertx.createHttpServer(
            PostUpgrades.configure(new HttpServerOptions().setHost("127.0.0.1")));
    PostUpgrades.install(server);
    server.requestHandler(
        req -> new PortForwardServer(vertx).serve(req, "pod-x", "uid-1", pod.dialer()));
    spdyPort = await(server.listen(0)).actualPort();
    TunnelingHandler tunnel = new TunnelingHandler(vertx.createNetClient(), new HopRegistry());
    tunnelPort =
        await(
                vertx
                    .createHttpServer(TunnelingHandler.configure(new HttpServerOptions()))
                    .requestHandler(
                        req ->
                            tunnel.tunnel(
                                req, URI.create("http://127.0.0.1:" + spdyPort + "/portforward/x")))
                    .listen(0, "127.0.0.1"))
            .actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    if (forwarder != null) {
      forwarder.stop();
      await(forwarding.recover(e -> Future.succeededFuture()));
    }
    pod.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private PortForwarder.Dialer dialer(String transport) {
    return protocol ->
        transport.equals("spdy")
            ? SpdyDialer.dial(
                vertx,
                netClient,
                "127.0.0.1",
                spdyPort,
                "POST",
                "/portforward/x",
                List.of(protocol),
                Map.of())
            : TunnelingDialer.dial(
                vertx,
                webSocketClient,
                "127.0.0.1",
                tunnelPort,
                "/api/v1/namespaces/ns/pods/x/portforward",
                List.of(protocol),
                Map.of());
  }

  /** Forwards {@code specs} on 127.0.0.1; returns the local ports. */
  private List<ForwardedPort> forward(String transport, String... specs) throws Exception {
    forwarder =
        new PortForwarder(
            vertx,
            dialer(transport),
            List.of("127.0.0.1"),
            List.of(specs),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    forwarding = forwarder.forwardPorts();
    return await(forwarder.ready());
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** Sends {@code payload}, half-closes, reads to EOF. */
  private static byte[] exchange(int local, byte[] payload) throws Exception {
    try (Socket s = new Socket("127.0.0.1", local)) {
      s.setSoTimeout(30_000);
      Thread writer =
          new Thread(
              () -> {
                try {
                  s.getOutputStream().write(payload);
                  s.shutdownOutput();
                } catch (Exception e) {
                  // the reader sees the short answer
                }
              });
      writer.start();
      byte[] back = s.getInputStream().readAllBytes();
      writer.join(30_000);
      return back;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"spdy", "websocket"})
  void forwardsExactBytesAndSurvivesARefusedPortAndAGonePod(String transport) throws Exception {
    List<ForwardedPort> ports =
        forward(
            transport,
            ":" + FakePod.ECHO,
            ":" + FakePod.HALF_CLOSE,
            ":" + FakePod.REFUSED,
            ":" + FakePod.GONE);
    int echo = ports.get(0).local();
    assertTrue(
        out()
            .startsWith(
                "Forwarding from 127.0.0.1:"
                    + echo
                    + " -> 80\nForwarding from 127.0.0.1:"
                    + ports.get(1).local()
                    + " -> 81\n"),
        out());

    byte[] payload = new byte[3 << 20];
    new Random(7).nextBytes(payload);
    assertArrayEquals(payload, exchange(echo, payload));
    assertEquals(
        "read 4 bytes: ping",
        new String(exchange(ports.get(1).local(), "ping".getBytes(StandardCharsets.UTF_8))));
    assertEquals(0, exchange(ports.get(2).local(), new byte[] {1}).length, "refused: EOF at once");
    assertEquals(0, exchange(ports.get(3).local(), new byte[] {1}).length, "gone: EOF");
    Await.until(
        "the gone pod's report",
        () ->
            err()
                .contains(
                    " portforward.go:424] \"Unhandled Error\" err=\"an error occurred forwarding "
                        + ports.get(3).local()
                        + " -> 85: error forwarding port 85 to pod pod-x, uid uid-1: pod sandbox x"
                        + " is gone\"\n"));
    assertArrayEquals(payload, exchange(echo, payload), "the forward goes on");
    assertTrue(out().contains("Handling connection for " + echo + "\n"), out());
    assertTrue(!forwarding.isComplete(), err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"spdy", "websocket"})
  void aLocalClientThatDoesNotReadHoldsThePodBack(String transport) throws Exception {
    int local = forward(transport, ":" + FakePod.SOURCE).get(0).local();
    try (Socket s = new Socket("127.0.0.1", local)) {
      s.setReceiveBufferSize(64 * 1024);
      long[] seen = {-1};
      Await.until(
          "the pod's writer to stall",
          Duration.ofSeconds(30),
          Duration.ofMillis(200),
          () -> {
            long now = pod.sourceWritten();
            boolean stalled = now > 0 && now == seen[0];
            seen[0] = now;
            return stalled || now == FakePod.SOURCE_SIZE;
          });
      assertTrue(
          seen[0] < FakePod.SOURCE_SIZE / 2,
          "the pod wrote " + seen[0] + " bytes to a client not reading");
      InputStream in = s.getInputStream();
      byte[] buffer = new byte[1 << 16];
      long received = 0;
      boolean intact = true;
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        for (int i = 0; i < n; i++) {
          intact &= buffer[i] == FakePod.sourceByte(received + i);
        }
        received += n;
      }
      assertEquals(FakePod.SOURCE_SIZE, received);
      assertTrue(intact);
    }
  }
}
