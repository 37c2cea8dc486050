package io.kubehop.apiserver.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.Times;
import io.kubehop.apiserver.registry.Meta;
import io.kubehop.apiserver.storage.FileStore;
import io.kubehop.apiserver.storage.StoreKey;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.ManualClock;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events expire after the TTL from their last write, and the oldest go past the cap. */
class EventRetentionTest {

  @TempDir Path dir;
  Vertx vertx;
  FileStore store;
  final ManualClock clock = new ManualClock();

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    store = FileStore.open(vertx, dir, 100);
  }

  @AfterEach
  void tearDown() {
    store.close().await();
    vertx.close().await();
  }

  private void event(String ns, String name, String lastTimestamp) {
    ObjectNode e = ApiJson.mapper().createObjectNode();
    e.put("kind", "Event").put("apiVersion", "v1");
    e.putObject("metadata")
        .put("name", name)
        .put("namespace", ns)
        .put("creationTimestamp", "2026-01-01T00:00:00Z");
    if (lastTimestamp != null) {
      e.put("lastTimestamp", lastTimestamp);
    }
    store.create(new StoreKey("events", ns, name), e).await();
  }

  private List<String> names() {
    return store.list("events", null).await().items().stream()
        .map(o -> Meta.namespace(o) + "/" + Meta.name(o))
        .sorted()
        .toList();
  }

  @Test
  void expiresEventsLastWrittenMoreThanTheTtlAgo() {
    EventRetention retention =
        new EventRetention(
            vertx, store, clock, new EventRetention.Limits(Duration.ofHours(1), 100));
    event("default", "old", null);
    event("default", "bumped", "2026-01-01T00:40:00Z"); // reported again 40 min later
    clock.advance(Duration.ofMinutes(60).minusSeconds(1));
    retention.sweep().await();
    assertEquals(List.of("default/bumped", "default/old"), names(), "1 s short of 1 h: kept");
    clock.advance(Duration.ofSeconds(1));
    retention.sweep().await();
    assertEquals(List.of("default/bumped"), names());
    clock.advance(Duration.ofMinutes(40));
    retention.sweep().await();
    assertEquals(List.of(), names());
  }

  @Test
  void aCreatePastTheCapRemovesTheOldestDownToTheLowWatermark() {
    EventRetention retention =
        new EventRetention(vertx, store, clock, new EventRetention.Limits(Duration.ofHours(1), 10));
    retention.sweep().await();
    for (int i = 0; i < 11; i++) {
      String ts = Times.format(clock.instant().plusSeconds(i));
      event(i % 2 == 0 ? "a" : "b", "e" + (100 + i), ts);
      retention.created();
    }
    // the eleventh create went past 10: the 2 oldest go, 9 (90 % of the cap) stay
    Await.until("a sweep down to 9", Duration.ofSeconds(10), () -> names().size() == 9);
    assertEquals(
        List.of(
            "a/e102", "a/e104", "a/e106", "a/e108", "a/e110", "b/e103", "b/e105", "b/e107",
            "b/e109"),
        names());
  }

  @Test
  void limitsMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new EventRetention.Limits(Duration.ZERO, 1));
    assertThrows(
        IllegalArgumentException.class, () -> new EventRetention.Limits(Duration.ofHours(1), 0));
  }
}
