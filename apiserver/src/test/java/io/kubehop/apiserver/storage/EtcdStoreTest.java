package io.kubehop.apiserver.storage;

import static io.kubehop.apiserver.storage.StoreContractTest.key;
import static io.kubehop.apiserver.storage.StoreContractTest.pod;
import static io.kubehop.apiserver.storage.StoreContractTest.rv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.apiserver.storage.StoreContractTest.Recorder;
import io.kubehop.etcd.etcdserverpb.RangeRequest;
import io.kubehop.etcd.mvccpb.KeyValue;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.EtcdProcess;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the etcd store does: upstream's key layout, watches across an etcd restart and a
 * compaction, and two apiservers' stores on one etcd.
 */
class EtcdStoreTest {

  @TempDir static Path dataDir;
  static EtcdProcess etcd;
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  Vertx vertx;
  String prefix;
  private final List<Store> opened = new ArrayList<>();

  @BeforeAll
  static void startEtcd() {
    etcd = EtcdProcess.start(dataDir.resolve("etcd"));
  }

  @AfterAll
  static void stopEtcd() {
    if (etcd != null) {
      etcd.stop();
    }
  }

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    prefix = "/etcd-" + PREFIXES.incrementAndGet() + "/registry";
  }

  @AfterEach
  void tearDown() {
    for (Store s : opened) {
      s.close().await();
    }
    vertx.close().await();
  }

  EtcdStore open() {
    EtcdStore s = EtcdStore.open(vertx, List.of(etcd.clientUrl()), prefix, 100).await();
    opened.add(s);
    return s;
  }

  @Test
  void keysAreUpstreamsAndValuesCarryNoResourceVersion() throws Exception {
    EtcdStore store = open();
    ObjectNode ns = ApiJson.mapper().createObjectNode();
    ns.put("kind", "Namespace").putObject("metadata").put("name", "team");
    store.create(new StoreKey("namespaces", "", "team"), ns).await();
    long created = rv(store.create(key("a"), pod("a")).await());

    EtcdClient raw = new EtcdClient(vertx, List.of(etcd.clientUrl()));
    try {
      KeyValue pod =
          raw.range(
                  RangeRequest.newBuilder()
                      .setKey(
                          com.google.protobuf.ByteString.copyFromUtf8(prefix + "/pods/default/a"))
                      .build())
              .await()
              .getKvs(0);
      assertEquals(created, pod.getModRevision(), "the resourceVersion is the mod_revision");
      JsonNode stored = ApiJson.tree(pod.getValue().toByteArray());
      assertFalse(stored.path("metadata").has("resourceVersion"), stored.toString());
      assertEquals(
          1,
          raw.range(
                  RangeRequest.newBuilder()
                      .setKey(
                          com.google.protobuf.ByteString.copyFromUtf8(prefix + "/namespaces/team"))
                      .build())
              .await()
              .getKvsCount());
    } finally {
      raw.close().await();
    }
  }

  @Test
  void aListLargerThanVertxGrpcsDefaultMessageLimitIsRead() throws Exception {
    EtcdStore store = open();
    String filler = "x".repeat(1024);
    int pods = 300; // about 330 KiB in one Range response, over Vert.x gRPC's default 256 KiB
    for (int i = 0; i < pods; i++) {
      ObjectNode p = pod("p-" + i);
      ((ObjectNode) p.path("spec")).put("filler", filler);
      store.create(key("p-" + i), p).await();
    }
    assertEquals(pods, store.list("pods", "default").await().items().size());
  }

  @Test
  void anUnreachableFirstServerIsSkipped() throws Exception {
    URI dead;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = URI.create("http://127.0.0.1:" + s.getLocalPort()); // closed below: refuses
    }
    EtcdStore store = EtcdStore.open(vertx, List.of(dead, etcd.clientUrl()), prefix, 100).await();
    opened.add(store);
    long a = rv(store.create(key("a"), pod("a")).await());
    assertEquals(a, rv(store.get(key("a")).await()));
  }

  @Test
  void aWatchGoesOnAcrossAnEtcdRestartWithNoGapAndNoDuplicate() throws Exception {
    EtcdStore store = open();
    long start = store.list("pods", null).await().resourceVersion();
    Recorder seen = new Recorder();
    Store.Subscription sub = store.watch(start, seen::accept).await();
    long a = rv(store.create(key("a"), pod("a")).await());
    seen.await(1);

    etcd.restart();
    long b = rv(writeOnceEtcdAnswers(() -> store.create(key("b"), pod("b")).await()));
    long c =
        rv(
            store
                .update(
                    key("a"),
                    o -> {
                      o.put("changed", true);
                      return o;
                    })
                .await());
    seen.await(3);
    assertEquals(List.of(a, b, c), seen.versions());
    assertFalse(sub.ended().isComplete(), "the watch was resumed, not ended");
  }

  /**
   * Writes made while the shared watch is down and etcd is up (as between etcd's return and the
   * cache's reopening, a window an end-to-end restart rarely hits) reach a held watch once the
   * watch reopens, each once and in order, and the watch never ends.
   */
  @Test
  void writesWhileTheWatchIsDownArriveOnceItReopensWithNoGapAndNoDuplicate() throws Exception {
    EtcdStore store = open();
    long start = store.list("pods", null).await().resourceVersion();
    Recorder seen = new Recorder();
    Store.Subscription sub = store.watch(start, seen::accept).await();
    long a = rv(store.create(key("a"), pod("a")).await());
    seen.await(1);

    store.pauseWatch().await();
    long b = rv(store.create(key("b"), pod("b")).await());
    long c =
        rv(
            store
                .update(
                    key("a"),
                    o -> {
                      o.put("changed", true);
                      return o;
                    })
                .await());
    store.delete(key("b"), o -> {}).await();
    assertEquals(List.of(a), seen.versions(), "nothing arrives while the watch is down");
    store.resumeWatch();

    List<StoreEvent> events = seen.await(4);
    assertEquals(
        List.of(
            StoreEvent.Type.ADDED,
            StoreEvent.Type.ADDED,
            StoreEvent.Type.MODIFIED,
            StoreEvent.Type.DELETED),
        events.stream().map(StoreEvent::type).toList());
    assertEquals(a, events.get(0).resourceVersion());
    assertEquals(b, events.get(1).resourceVersion());
    assertEquals(c, events.get(2).resourceVersion());
    assertTrue(events.get(3).resourceVersion() > c);
    long d = rv(store.create(key("d"), pod("d")).await());
    assertEquals(d, seen.await(5).get(4).resourceVersion());
    assertEquals(
        5, seen.versions().stream().distinct().count(), "no duplicate: " + seen.versions());
    assertFalse(sub.ended().isComplete(), "the watch was resumed, not ended");
  }

  /**
   * The first write after a restart may meet the client's dead connection: retried until etcd
   * answers.
   */
  private static ObjectNode writeOnceEtcdAnswers(java.util.function.Supplier<ObjectNode> write) {
    return Await.value(
        "a write once etcd is back",
        Duration.ofSeconds(20),
        () -> {
          try {
            return write.get();
          } catch (EtcdClient.EtcdException e) {
            if (e.status() == io.vertx.grpc.common.GrpcStatus.UNAVAILABLE) {
              return null;
            }
            throw e;
          }
        });
  }

  @Test
  void aCompactionWhileTheWatchIsDownEndsWatchesAndOldVersionsExpire() throws Exception {
    EtcdStore store = open();
    long start = store.list("pods", null).await().resourceVersion();
    Recorder seen = new Recorder();
    Store.Subscription sub = store.watch(start, seen::accept).await();
    long a = rv(store.create(key("a"), pod("a")).await());
    seen.await(1);

    // the shared watch is down (as while etcd is unreachable) while etcd moves on and compacts
    store.pauseWatch().await();
    store.create(key("b"), pod("b")).await();
    long c = rv(store.create(key("c"), pod("c")).await());
    store.compact(c).await();
    store.resumeWatch();

    Throwable ended = assertThrows(Exception.class, () -> sub.ended().await(20, TimeUnit.SECONDS));
    assertInstanceOf(StoreException.Expired.class, ended);
    assertEquals(List.of(a), seen.versions(), "b and c were lost, so the watch ended instead");
    assertInstanceOf(
        StoreException.Expired.class,
        assertThrows(Exception.class, () -> store.watch(a, e -> {}).await()),
        "a version before the compaction answers 410");

    // a client that relists watches on from the list
    long listed = store.list("pods", null).await().resourceVersion();
    Recorder relisted = new Recorder();
    store.watch(listed, relisted::accept).await();
    long d = rv(store.create(key("d"), pod("d")).await());
    relisted.await(1);
    assertEquals(List.of(d), relisted.versions());
  }

  @Test
  void aCreateThroughOneStoreReachesAWatchOnAnotherWithinOneSecond() throws Exception {
    EtcdStore one = open();
    EtcdStore other = open();
    long start = other.list("pods", null).await().resourceVersion();
    CompletableFuture<Long> seenAt = new CompletableFuture<>();
    other
        .watch(
            start,
            e -> {
              if (e.key().equals(key("a"))) {
                seenAt.complete(System.nanoTime());
              }
            })
        .await();
    long before = System.nanoTime();
    ObjectNode created = one.create(key("a"), pod("a")).await();
    long latency = seenAt.get(5, TimeUnit.SECONDS) - before;
    assertTrue(
        latency < TimeUnit.SECONDS.toNanos(1),
        "seen after " + TimeUnit.NANOSECONDS.toMillis(latency) + " ms");
    assertEquals(rv(created), rv(other.get(key("a")).await()));
  }
}
