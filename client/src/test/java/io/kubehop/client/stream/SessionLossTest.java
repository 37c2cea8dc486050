package io.kubehop.client.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.client.rest.ClusterConnection;
import io.kubehop.client.rest.JdkHttpTransport;
import io.kubehop.client.rest.RestClient;
import io.kubehop.client.rest.TlsConfig;
import io.kubehop.client.testing.FakeApiServer;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The message for a session that ended without a Status, against a stub of the apiserver's session
 * record ({@code GET /debug/sessions?id=}).
 */
class SessionLossTest {

  static final String ID = "cli-0123456789abcdef";
  static final String PATH = SessionLoss.SESSIONS_PATH + "?id=" + ID;

  FakeApiServer server;

  @BeforeEach
  void start() throws Exception {
    server = new FakeApiServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static String record(String state, String ended) {
    return "{\"id\":\""
        + ID
        + "\",\"kind\":\"exec\",\"namespace\":\"default\",\"pod\":\"demo\",\"container\":\"main\","
        + "\"state\":\""
        + state
        + "\",\"openedAt\":\"2026-12-03T22:41:40.123Z\",\"durationMillis\":4210,\"hops\":["
        + "{\"tier\":\"apiserver\",\"local\":\"127.0.0.1:6443\",\"remote\":\"127.0.0.1:54012\","
        + "\"peer\":\"client\"},"
        + "{\"tier\":\"apiserver\",\"local\":\"127.0.0.1:41822\",\"remote\":\"127.0.1.1:10250\","
        + "\"peer\":\"kubelet\",\"node\":\"node-1\"}]"
        + (ended == null ? "" : ",\"ended\":" + ended)
        + "}";
  }

  RestClient client(String url) throws Exception {
    ClusterConnection c = new ClusterConnection(URI.create(url), TlsConfig.NONE, Optional.empty());
    return new RestClient(c, new JdkHttpTransport(c), SessionLoss.QUERY_BOUND);
  }

  @Test
  void kubeletFirstNamesTheKubelet() throws Exception {
    server.on(
        "GET",
        PATH,
        FakeApiServer.json(
            200, record("closed", "{\"first\":\"kubelet\",\"how\":\"reset\",\"status\":false}")));

    assertEquals(
        "connection to kubelet node-1 (127.0.1.1:10250) lost after 4.2 s",
        SessionLoss.message(client(server.url()), ID, "127.0.0.1:6443", Duration.ofMillis(4321)));
  }

  @Test
  void clientOrApiserverFirstNamesTheApiserverWithTheClientsTime() throws Exception {
    server.on(
        "GET",
        PATH,
        FakeApiServer.json(
            200,
            record("closed", "{\"first\":\"apiserver\",\"how\":\"closed\",\"status\":false}")));

    assertEquals(
        "connection to apiserver 127.0.0.1:6443 lost after 1.3 s",
        SessionLoss.message(client(server.url()), ID, "127.0.0.1:6443", Duration.ofMillis(1250)));
  }

  @Test
  void unknownSessionNamesTheApiserver() throws Exception {
    // no route: the stub answers 404 with a NotFound Status
    assertEquals(
        "connection to apiserver 127.0.0.1:6443 lost after 0.0 s",
        SessionLoss.message(client(server.url()), ID, "127.0.0.1:6443", Duration.ZERO));
  }

  @Test
  void unreachableApiserverIsNamedWithinTheBound() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    long start = System.nanoTime();
    String message =
        SessionLoss.message(
            client("http://127.0.0.1:" + closedPort),
            ID,
            "127.0.0.1:" + closedPort,
            Duration.ofMillis(4999));

    assertEquals("connection to apiserver 127.0.0.1:" + closedPort + " lost after 5.0 s", message);
    assertTrue(System.nanoTime() - start < SessionLoss.QUERY_BOUND.toNanos() + 500_000_000L);
  }

  /** The apiserver may record the end a moment after the CLI saw it: asked again until closed. */
  @Test
  void openRecordIsAskedAgain() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    server.on(
        "GET",
        PATH,
        exchange ->
            FakeApiServer.json(
                    200,
                    asked.incrementAndGet() < 3
                        ? record("open", null)
                        : record(
                            "closed",
                            "{\"first\":\"kubelet\",\"how\":\"closed\",\"status\":false}"))
                .respond(exchange));

    assertEquals(
        "connection to kubelet node-1 (127.0.1.1:10250) lost after 4.2 s",
        SessionLoss.message(client(server.url()), ID, "127.0.0.1:6443", Duration.ZERO));
    assertEquals(3, asked.get());
  }
}
