package io.kubehop.apiserver.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.testkit.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} promises the REST and watch layers, run once per backend. A store's
 * watch side may trail its writes (etcd's shared watch): watch assertions wait for events rather
 * than expect them on return, and resourceVersions are compared, never predicted, since etcd's do
 * not start at 1 and need not be consecutive.
 */
abstract class StoreContractTest {

  Vertx vertx;
  private final List<Store> opened = new CopyOnWriteArrayList<>();

  /** A fresh, empty store keeping {@code historySize} events for watches to replay. */
  abstract Store open(Vertx vertx, int historySize) throws Exception;

  Store store(int historySize) throws Exception {
    Store s = open(vertx, historySize);
    opened.add(s);
    return s;
  }

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeStores() {
    for (Store s : opened) {
      s.close().await();
    }
    vertx.close().await();
  }

  static ObjectNode pod(String name) {
    ObjectNode o = ApiJson.mapper().createObjectNode();
    o.put("kind", "Pod").putObject("metadata").put("name", name).put("namespace", "default");
    o.putObject("spec").put("custom", "kept");
    return o;
  }

  static StoreKey key(String name) {
    return new StoreKey("pods", "default", name);
  }

  static long rv(ObjectNode o) {
    return Long.parseLong(o.path("metadata").path("resourceVersion").asText());
  }

  static Throwable failure(Future<?> f) {
    return assertThrows(Exception.class, f::await);
  }

  /** Events as a watch delivers them, awaited with a deadline. */
  static final class Recorder {
    final List<StoreEvent> events = new CopyOnWriteArrayList<>();

    void accept(StoreEvent e) {
      events.add(e);
    }

    List<StoreEvent> await(int count) {
      Await.until(
          () -> count + " events, have " + events,
          Await.DEFAULT_DEADLINE,
          () -> events.size() >= count);
      return List.copyOf(events);
    }

    List<Long> versions() {
      return events.stream().map(StoreEvent::resourceVersion).toList();
    }
  }

  @Test
  void writesStampIncreasingVersionsAndReadsReturnThem() throws Exception {
    Store store = store(100);
    ObjectNode a = store.create(key("a"), pod("a")).await();
    ObjectNode b = store.create(key("b"), pod("b")).await();
    assertTrue(rv(b) > rv(a), "each write takes a higher resourceVersion");
    ObjectNode read = store.get(key("a")).await();
    assertEquals(rv(a), rv(read));
    assertEquals(
        "kept",
        read.path("spec").path("custom").asText(),
        "fields the store does not model are kept");
    ObjectNode updated =
        store
            .update(
                key("a"),
                o -> {
                  o.withObjectProperty("metadata").putObject("labels").put("x", "y");
                  return o;
                })
            .await();
    assertTrue(rv(updated) > rv(b));
    assertEquals(
        "y", store.get(key("a")).await().path("metadata").path("labels").path("x").asText());
    Store.Listing listing = store.list("pods", "default").await();
    assertEquals(
        List.of("a", "b"),
        listing.items().stream().map(o -> o.path("metadata").path("name").asText()).toList());
    assertTrue(listing.resourceVersion() >= rv(updated), "a list is as new as the last write");
    assertEquals(0, store.list("pods", "other").await().items().size());
    assertEquals(2, store.list("pods", null).await().items().size());
  }

  @Test
  void clusterScopedObjectsHaveNoNamespace() throws Exception {
    Store store = store(100);
    ObjectNode ns = ApiJson.mapper().createObjectNode();
    ns.put("kind", "Namespace").putObject("metadata").put("name", "team");
    store.create(new StoreKey("namespaces", "", "team"), ns).await();
    store.create(key("a"), pod("a")).await();
    List<ObjectNode> items = store.list("namespaces", null).await().items();
    assertEquals(1, items.size());
    assertEquals("team", items.get(0).path("metadata").path("name").asText());
    assertEquals(
        "team",
        store
            .get(new StoreKey("namespaces", "", "team"))
            .await()
            .path("metadata")
            .path("name")
            .asText());
  }

  @Test
  void missingAndExistingKeysFailAsTheRestLayerExpects() throws Exception {
    Store store = store(100);
    assertInstanceOf(StoreException.NotFound.class, failure(store.get(key("none"))));
    assertInstanceOf(StoreException.NotFound.class, failure(store.update(key("none"), o -> o)));
    assertInstanceOf(StoreException.NotFound.class, failure(store.delete(key("none"), o -> {})));
    store.create(key("a"), pod("a")).await();
    assertInstanceOf(StoreException.AlreadyExists.class, failure(store.create(key("a"), pod("a"))));
  }

  @Test
  void staleResourceVersionConflictsAndStoresNothing() throws Exception {
    Store store = store(100);
    long created = rv(store.create(key("a"), pod("a")).await());
    Throwable conflict =
        failure(
            store.update(
                key("a"),
                o -> {
                  o.withObjectProperty("metadata")
                      .put("resourceVersion", Long.toString(created - 1));
                  o.put("changed", true);
                  return o;
                }));
    assertInstanceOf(StoreException.Conflict.class, conflict);
    ObjectNode after = store.get(key("a")).await();
    assertFalse(after.has("changed"));
    assertEquals(created, rv(after));
  }

  @Test
  void anUnchangedUpdateKeepsItsVersionAndAbortedWritesStoreNothing() throws Exception {
    Store store = store(100);
    long created = rv(store.create(key("a"), pod("a")).await());
    assertEquals(created, rv(store.update(key("a"), o -> o).await()));
    IllegalStateException veto = new IllegalStateException("no");
    assertEquals(
        veto,
        failure(
            store.update(
                key("a"),
                o -> {
                  throw veto;
                })));
    assertEquals(
        veto,
        failure(
            store.delete(
                key("a"),
                o -> {
                  throw veto;
                })));
    assertEquals(created, rv(store.get(key("a")).await()));
  }

  @Test
  void deleteReturnsTheLastStateAtTheDeletionsVersion() throws Exception {
    Store store = store(100);
    long created = rv(store.create(key("a"), pod("a")).await());
    ObjectNode deleted = store.delete(key("a"), o -> {}).await();
    assertTrue(rv(deleted) > created);
    assertEquals("kept", deleted.path("spec").path("custom").asText());
    assertInstanceOf(StoreException.NotFound.class, failure(store.get(key("a"))));
    assertEquals(0, store.list("pods", null).await().items().size());
  }

  @Test
  void watchReportsEachChangeWithTheStateBefore() throws Exception {
    Store store = store(100);
    long start = store.list("pods", null).await().resourceVersion();
    Recorder seen = new Recorder();
    store.watch(start, seen::accept).await();
    long added = rv(store.create(key("a"), pod("a")).await());
    long modified =
        rv(
            store
                .update(
                    key("a"),
                    o -> {
                      o.put("changed", true);
                      return o;
                    })
                .await());
    long deleted = rv(store.delete(key("a"), o -> {}).await());
    List<StoreEvent> events = seen.await(3);
    assertEquals(List.of(added, modified, deleted), seen.versions());
    assertEquals(
        List.of(StoreEvent.Type.ADDED, StoreEvent.Type.MODIFIED, StoreEvent.Type.DELETED),
        events.stream().map(StoreEvent::type).toList());
    assertEquals(key("a"), events.get(0).key());
    assertNull(events.get(0).previous());
    assertEquals(added, rv(events.get(1).previous()));
    assertTrue(events.get(1).object().path("changed").asBoolean());
    assertEquals(deleted, rv(events.get(2).object()), "a DELETED carries the deletion's version");
    assertEquals(modified, rv(events.get(2).previous()));
  }

  @Test
  void watchFromAListsVersionSeesOnlyLaterChanges() throws Exception {
    Store store = store(100);
    store.create(key("a"), pod("a")).await();
    store.create(key("b"), pod("b")).await();
    long listed = store.list("pods", null).await().resourceVersion();
    Recorder seen = new Recorder();
    Store.Subscription sub = store.watch(listed, seen::accept).await();
    long c = rv(store.create(key("c"), pod("c")).await());
    seen.await(1);
    sub.cancel();
    store.create(key("d"), pod("d")).await();
    Recorder later = new Recorder();
    store.watch(c, later::accept).await();
    later.await(
        1); // d has reached the watch side: had the canceled watch got it, it would be there
    assertEquals(List.of(c), seen.versions(), "nothing listed is repeated, nothing after cancel");
  }

  @Test
  void currentVersionCoversEveryWriteOnceTheWatchSideHasSeenIt() throws Exception {
    Store store = store(100);
    long a = rv(store.create(key("a"), pod("a")).await());
    Await.until(
        "the store's current version reaches " + a, () -> store.currentResourceVersion() >= a);
    Recorder seen = new Recorder();
    store.watch(0, seen::accept).await();
    long b = rv(store.create(key("b"), pod("b")).await());
    seen.await(1);
    assertEquals(List.of(b), seen.versions(), "0 means from now on");
  }

  @Test
  void watchReplaysHistoryAfterVersionAndExpiresOldOnes() throws Exception {
    Store store = store(3);
    long[] rvs = new long[5];
    List<String> names = List.of("a", "b", "c", "d", "e");
    for (int i = 0; i < names.size(); i++) {
      rvs[i] = rv(store.create(key(names.get(i)), pod(names.get(i))).await());
    }
    Recorder seen = new Recorder();
    store.watch(rvs[2], seen::accept).await();
    long deleted = rv(store.delete(key("a"), o -> {}).await());
    List<StoreEvent> events = seen.await(3);
    assertEquals(List.of(rvs[3], rvs[4], deleted), seen.versions());
    assertEquals(StoreEvent.Type.DELETED, events.get(2).type());

    // three events kept: d, e and the deletion; a watch from before c would miss some
    Throwable expired = failure(store.watch(rvs[0], e -> {}));
    assertInstanceOf(StoreException.Expired.class, expired);
    assertEquals("too old resource version: " + rvs[0] + " (" + rvs[2] + ")", expired.getMessage());
  }
}
