package io.kubehop.client.stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.client.rest.ClusterConnection;
import io.kubehop.client.rest.TlsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the streaming client's own connections allow, against a plain Vert.x server. */
class StreamingClientTest {

  Vertx vertx;
  HttpServer server;

  /** Counts the WebSockets the server accepted (and holds: nothing closes them). */
  final CountDownLatch accepted = new CountDownLatch(60);

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server =
        vertx
            .createHttpServer()
            .webSocketHandler(ws -> accepted.countDown())
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /**
   * Many sessions held at once to one apiserver each hold a WebSocket of their own: the 51st is not
   * queued behind the first 50 (Vert.x's default per-host limit), which held sessions would never
   * release.
   */
  @Test
  void moreThanFiftyWebSocketsToOneServerAreOpenAtOnce() throws Exception {
    ClusterConnection connection =
        new ClusterConnection(
            URI.create("http://127.0.0.1:" + server.actualPort()),
            TlsConfig.NONE,
            Optional.empty());
    try (StreamingClient client = new StreamingClient(connection)) {
      List<Future<WebSocket>> opened = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        opened.add(
            client
                .webSocketClient()
                .connect(
                    new WebSocketConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(server.actualPort())
                        .setURI("/held/" + i)));
      }
      // every upgrade answered on the client's side, and every one accepted on the server's (whose
      // handler may run just after the client saw its 101)
      Future.all(opened).await(20, TimeUnit.SECONDS);
      assertTrue(accepted.await(20, TimeUnit.SECONDS), accepted.getCount() + " not accepted");
    }
  }
}
