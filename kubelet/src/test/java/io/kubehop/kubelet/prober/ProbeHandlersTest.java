package io.kubehop.kubelet.prober;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kubehop.api.core.Container;
import io.kubehop.api.core.ContainerPort;
import io.kubehop.api.core.Probe;
import io.kubehop.api.json.ApiJson;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The handlers against real servers on 127.0.0.1, and the texts of their failures. */
class ProbeHandlersTest {

  private Vertx vertx;
  private ProbeHandlers handlers;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    handlers = new ProbeHandlers(vertx, null);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** A port nothing listens on: bound, read, closed. */
  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * A container with {@code ports}, read from JSON (the record's arity is no business of this
   * test).
   */
  private static Container container(List<ContainerPort> ports) {
    java.util.Map<String, Object> c = new java.util.LinkedHashMap<>();
    c.put("name", "c");
    c.put("image", "busybox");
    if (ports != null) {
      c.put("ports", ports);
    }
    return ApiJson.fromTree(ApiJson.toTree(c), Container.class);
  }

  private static Probe tcpProbe(int port) {
    return new Probe(
        null,
        new Probe.TcpSocketAction(IntNode.valueOf(port), null),
        null,
        null,
        1,
        1,
        null,
        null,
        null);
  }

  @Test
  void tcpSucceedsAgainstAListeningPort() throws Exception {
    NetServer server = vertx.createNetServer().connectHandler(so -> so.close());
    int port = await(server.listen(0, "127.0.0.1")).actualPort();
    ProbeOutcome out = await(handlers.run(tcpProbe(port), container(null), "127.0.0.1", "id"));
    assertTrue(out.success());
  }

  @Test
  void tcpFailsWithGosConnectionRefused() throws Exception {
    int port = freePort();
    ProbeOutcome out = await(handlers.run(tcpProbe(port), container(null), "127.0.0.1", "id"));
    assertFalse(out.success());
    assertEquals("dial tcp 127.0.0.1:" + port + ": connect: connection refused", out.output());
  }

  @Test
  void httpGetSendsPathAndHeadersAndSucceedsBelow400() throws Exception {
    Map<String, String> seen = new ConcurrentHashMap<>();
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  seen.put("path", req.uri());
                  seen.put("ua", String.valueOf(req.getHeader("User-Agent")));
                  seen.put("x", String.valueOf(req.getHeader("X-Probe")));
                  int code = req.path().equals("/redirect") ? 302 : 200;
                  req.response().setStatusCode(code).end("ok");
                });
    int port = await(server.listen(0, "127.0.0.1")).actualPort();
    Probe probe =
        new Probe(
            null,
            null,
            new Probe.HttpGetAction(
                "/healthz",
                TextNode.valueOf("web"),
                null,
                "HTTP",
                List.of(new Probe.HttpHeader("X-Probe", "yes"))),
            null,
            // a timeout far above what a loopback GET takes: this test is about what is sent and
            // how the answer reads; the first request of a JVM (class loading, under a full
            // verify's load) once took over 1 s (httpGetTimesOutAfterTimeoutSeconds tests timing)
            10,
            1,
            null,
            null,
            null);
    Container c = container(List.of(new ContainerPort("web", port, "TCP")));
    ProbeOutcome out = await(handlers.run(probe, c, "127.0.0.1", "id"));
    assertTrue(out.success(), out.output());
    assertEquals("ok", out.output());
    assertEquals("/healthz", seen.get("path"));
    assertEquals("kube-probe/1.30", seen.get("ua"));
    assertEquals("yes", seen.get("x"));
    Probe.HttpGetAction redirect =
        new Probe.HttpGetAction("/redirect", IntNode.valueOf(port), null, null, null);
    assertTrue(await(handlers.httpGet(redirect, "127.0.0.1", port, 10_000)).success());
  }

  @Test
  void httpGetFailsOnAnErrorStatusAndOnARefusedConnection() throws Exception {
    HttpServer server =
        vertx.createHttpServer().requestHandler(req -> req.response().setStatusCode(500).end());
    int port = await(server.listen(0, "127.0.0.1")).actualPort();
    Probe.HttpGetAction get =
        new Probe.HttpGetAction("/healthz", IntNode.valueOf(port), null, null, null);
    ProbeOutcome out = await(handlers.httpGet(get, "127.0.0.1", port, 10_000));
    assertFalse(out.success());
    assertEquals("HTTP probe failed with statuscode: 500", out.output());

    int closed = freePort();
    out = await(handlers.httpGet(get, "127.0.0.1", closed, 10_000));
    assertFalse(out.success());
    assertEquals(
        "Get \"http://127.0.0.1:"
            + closed
            + "/healthz\": dial tcp 127.0.0.1:"
            + closed
            + ": connect: connection refused",
        out.output());
  }

  @Test
  void httpGetTimesOutAfterTimeoutSeconds() throws Exception {
    // a server that never answers
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {});
    int port = await(server.listen(0, "127.0.0.1")).actualPort();
    Probe.HttpGetAction get = new Probe.HttpGetAction("/", IntNode.valueOf(port), null, null, null);
    long start = System.nanoTime();
    ProbeOutcome out = await(handlers.httpGet(get, "127.0.0.1", port, 1000));
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertFalse(out.success());
    assertEquals(
        "Get \"http://127.0.0.1:"
            + port
            + "/\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
        out.output());
    assertTrue(tookMs >= 900 && tookMs < 5000, "took " + tookMs + " ms");
  }

  @Test
  void portsAreNumbersOrNamedContainerPorts() {
    Container c = container(List.of(new ContainerPort("web", 8080, "TCP")));
    assertEquals(8080, ProbeHandlers.port(TextNode.valueOf("web"), c));
    assertEquals(81, ProbeHandlers.port(IntNode.valueOf(81), c));
    assertEquals(82, ProbeHandlers.port(TextNode.valueOf("82"), c));
    assertThrows(
        IllegalArgumentException.class, () -> ProbeHandlers.port(TextNode.valueOf("x"), c));
    assertThrows(IllegalArgumentException.class, () -> ProbeHandlers.port(IntNode.valueOf(0), c));
  }
}
