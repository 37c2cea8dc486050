package io.kubehop.apiserver.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.apiserver.storage.FileStore;
import io.kubehop.apiserver.storage.StoreKey;
import io.kubehop.testkit.Await;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler writes upstream's Scheduled event for a pod it binds. */
class SchedulerEventTest {

  @TempDir Path dir;

  private Vertx vertx;
  private FileStore store;
  private Scheduler scheduler;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    store = FileStore.open(vertx, dir, 100);
  }

  @AfterEach
  void stop() throws Exception {
    if (scheduler != null) {
      scheduler.stop();
    }
    store.close().await();
    vertx.close().await();
  }

  private static ObjectNode json(String s) throws Exception {
    return (ObjectNode) ApiJson.mapper().readTree(s.replace('\'', '"'));
  }

  private List<ObjectNode> events() throws Exception {
    return store.list("events", "default").await().items();
  }

  @Test
  void aBoundPodGetsAScheduledEventFromTheDefaultScheduler() throws Exception {
    store
        .create(
            new StoreKey("nodes", null, "node-1"),
            json(
                "{'kind':'Node','metadata':{'name':'node-1'},"
                    + "'status':{'conditions':[{'type':'Ready','status':'True'}]}}"))
        .await();
    store
        .create(
            new StoreKey("pods", "default", "demo"),
            json(
                "{'kind':'Pod','metadata':{'name':'demo','namespace':'default','uid':'u-1'},"
                    + "'spec':{'containers':[{'name':'c','image':'busybox'}]}}"))
        .await();
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T10:00:00.123456Z"), ZoneOffset.UTC);
    scheduler = new Scheduler(vertx, store, clock, 100);
    vertx.runOnContext(v -> scheduler.start());
    Await.until("a Scheduled event", Duration.ofSeconds(10), () -> !eventsQuietly().isEmpty());

    List<ObjectNode> events = events();
    assertEquals(1, events.size());
    JsonNode ev = events.get(0);
    assertTrue(ev.path("metadata").path("name").asText().matches("demo\\.[0-9a-f]+"));
    assertEquals("Scheduled", ev.path("reason").asText());
    assertEquals("Successfully assigned default/demo to node-1", ev.path("message").asText());
    assertEquals("Normal", ev.path("type").asText());
    assertEquals("default-scheduler", ev.path("source").path("component").asText());
    assertEquals("default-scheduler", ev.path("reportingComponent").asText());
    assertEquals("Binding", ev.path("action").asText());
    assertEquals("2026-01-01T10:00:00.123456Z", ev.path("eventTime").asText());
    assertEquals("2026-01-01T10:00:00Z", ev.path("lastTimestamp").asText());
    assertEquals(1, ev.path("count").asInt());
    JsonNode ref = ev.path("involvedObject");
    assertEquals("Pod", ref.path("kind").asText());
    assertEquals("default", ref.path("namespace").asText());
    assertEquals("demo", ref.path("name").asText());
    assertEquals("u-1", ref.path("uid").asText());
    assertEquals(
        "node-1",
        store
            .get(new StoreKey("pods", "default", "demo"))
            .await()
            .path("spec")
            .path("nodeName")
            .asText());
  }

  private List<ObjectNode> eventsQuietly() {
    try {
      return events();
    } catch (Exception e) {
      return List.of();
    }
  }
}
