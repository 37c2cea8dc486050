package io.kubehop.kubelet.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.kubelet.apiserver.ApiClient;
import io.kubehop.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventRecorderTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private record Req(String method, String path, String contentType, JsonNode body) {}

  private Vertx vertx;
  private final List<Req> requests = new CopyOnWriteArrayList<>();
  private volatile int answer = 201;
  private volatile boolean silent;
  private ApiClient api;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            b -> {
                              requests.add(
                                  new Req(
                                      req.method().name(),
                                      req.path(),
                                      req.getHeader("Content-Type"),
                                      tree(b.getBytes())));
                              if (!silent) {
                                req.response().setStatusCode(answer).end("{}");
                              }
                            }));
    int port =
        server
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS)
            .actualPort();
    api = new ApiClient(vertx, "http://127.0.0.1:" + port);
  }

  private static JsonNode tree(byte[] b) {
    try {
      return ApiJson.tree(b);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static final EventRecorder.InvolvedObject POD =
      new EventRecorder.InvolvedObject(
          "Pod", "default", "demo", "uid-1", "v1", "42", "spec.containers{main}");

  @Test
  void writesAnEventWithUpstreamsFieldsAndAggregatesRepeats() throws Exception {
    Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
    Clock clock = Clock.fixed(t0, ZoneOffset.UTC);
    EventRecorder rec = new EventRecorder(vertx, api, "kubelet", "node-1", clock);
    String msg = "Readiness probe failed: HTTP probe failed with statuscode: 500";
    rec.record(POD, EventRecorder.WARNING, Reasons.UNHEALTHY, msg);
    rec.record(POD, EventRecorder.WARNING, Reasons.UNHEALTHY, msg);
    rec.record(POD, EventRecorder.WARNING, Reasons.UNHEALTHY, msg);
    rec.record(POD, EventRecorder.NORMAL, Reasons.KILLING, "Stopping container main");
    Await.until(() -> "requests: " + requests, WAIT, () -> requests.size() == 4);

    Req post = requests.get(0);
    assertEquals("POST", post.method());
    assertEquals("/api/v1/namespaces/default/events", post.path());
    JsonNode ev = post.body();
    String name = ev.path("metadata").path("name").asText();
    assertTrue(name.matches("demo\\.[0-9a-f]+"), name);
    assertEquals("Event", ev.path("kind").asText());
    assertEquals("default", ev.path("metadata").path("namespace").asText());
    JsonNode ref = ev.path("involvedObject");
    assertEquals("Pod", ref.path("kind").asText());
    assertEquals("demo", ref.path("name").asText());
    assertEquals("uid-1", ref.path("uid").asText());
    assertEquals("v1", ref.path("apiVersion").asText());
    assertEquals("42", ref.path("resourceVersion").asText());
    assertEquals("spec.containers{main}", ref.path("fieldPath").asText());
    assertEquals("Unhealthy", ev.path("reason").asText());
    assertEquals(msg, ev.path("message").asText());
    assertEquals("Warning", ev.path("type").asText());
    assertEquals(1, ev.path("count").asInt());
    assertEquals("kubelet", ev.path("source").path("component").asText());
    assertEquals("node-1", ev.path("source").path("host").asText());
    assertEquals("2026-01-01T10:00:00Z", ev.path("firstTimestamp").asText());
    assertEquals("2026-01-01T10:00:00Z", ev.path("lastTimestamp").asText());
    assertEquals("kubelet", ev.path("reportingComponent").asText());
    assertEquals("node-1", ev.path("reportingInstance").asText());

    for (int i = 1; i <= 2; i++) {
      Req patch = requests.get(i);
      assertEquals("PATCH", patch.method());
      assertEquals("/api/v1/namespaces/default/events/" + name, patch.path());
      assertEquals("application/merge-patch+json", patch.contentType());
      assertEquals(i + 1, patch.body().path("count").asInt());
      assertEquals("2026-01-01T10:00:00Z", patch.body().path("lastTimestamp").asText());
    }
    Req other = requests.get(3);
    assertEquals("POST", other.method());
    assertEquals("Killing", other.body().path("reason").asText());
    assertTrue(!other.body().path("metadata").path("name").asText().equals(name));
  }

  @Test
  void anApiserverWithoutEventsDoesNotStopTheRecorder() throws Exception {
    answer = 404;
    EventRecorder rec = new EventRecorder(vertx, api, "kubelet", "node-1", Clock.systemUTC());
    rec.record(POD, EventRecorder.NORMAL, Reasons.PULLED, "a");
    rec.record(POD, EventRecorder.NORMAL, Reasons.PULLED, "a");
    rec.record(POD, EventRecorder.NORMAL, Reasons.CREATED, "b");
    // the repeat's PATCH answered 404 is retried as a create with its count
    Await.until(() -> "requests: " + requests, WAIT, () -> requests.size() == 4);
    assertEquals("PATCH", requests.get(1).method());
    assertEquals("POST", requests.get(2).method());
    assertEquals(2, requests.get(2).body().path("count").asInt());
    assertEquals("b", requests.get(3).body().path("message").asText());
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
    silent = true; // the first write never completes: everything else queues
    EventRecorder rec = new EventRecorder(vertx, api, "kubelet", "node-1", Clock.systemUTC());
    int n = EventRecorder.QUEUE_CAPACITY + 100;
    for (int i = 0; i < n; i++) {
      rec.record(POD, EventRecorder.NORMAL, Reasons.PULLED, "m" + i);
    }
    Await.until(() -> "requests: " + requests.size(), WAIT, () -> requests.size() == 1);
    // at most one event left the queue (the one in flight)
    assertTrue(rec.dropped() >= 99 && rec.dropped() <= 100, "dropped " + rec.dropped());
  }

  @Test
  void messagesAreUpstreams() {
    assertEquals(
        "Container image \"busybox:1.36\" already present on machine",
        Reasons.imagePresent("busybox:1.36"));
    assertEquals("Created container main", Reasons.created("main"));
    assertEquals("Started container main", Reasons.started("main"));
    assertEquals("Stopping container main", Reasons.stopping("main"));
    assertEquals(
        "Container main failed liveness probe, will be restarted",
        Reasons.failedProbe("main", "liveness", true));
    assertEquals(
        "Container main failed startup probe", Reasons.failedProbe("main", "startup", false));
    assertEquals(
        "Back-off restarting failed container main in pod demo_default(uid-1)",
        Reasons.backOff("main", "demo", "default", "uid-1"));
  }
}
