package io.kubehop.apiserver.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * The embedded persistent {@link Store}: all objects in memory, every write appended to an {@link
 * AppendLog} before it is acknowledged, recent events in an {@link EventHistory}. Writes and watch
 * subscriptions run on Vert.x worker threads (they do file I/O or wait for it) and are serialised
 * by one lock, which also orders resourceVersions and events. Reads take no lock, so an event loop
 * never waits for the disk: a write publishes the object before it advances the counter, so a list
 * taken at counter N holds at least every object up to N, and a watch from N replays the rest.
 */
public final class FileStore implements Store {

  private static final Logger LOG = Logger.getLogger(FileStore.class.getName());

  private final Vertx vertx;
  private final Object lock = new Object();
  private final ConcurrentSkipListMap<StoreKey, ObjectNode> objects =
      new ConcurrentSkipListMap<>((a, b) -> a.toString().compareTo(b.toString()));
  private final AppendLog log;
  private final EventHistory history;
  private volatile long resourceVersion;

  private FileStore(Vertx vertx, AppendLog log, long resourceVersion, int historySize) {
    this.vertx = vertx;
    this.log = log;
    this.resourceVersion = resourceVersion;
    this.history = new EventHistory(historySize, resourceVersion);
  }

  /**
   * Opens (and replays) the store under {@code dir}. Blocking: call it before serving or from a
   * worker.
   */
  public static FileStore open(Vertx vertx, Path dir, int historySize) throws IOException {
    AppendLog log = new AppendLog(dir, false);
    Map<StoreKey, ObjectNode> loaded =
        new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
    AppendLog.Recovered r = log.replay(loaded);
    FileStore store = new FileStore(vertx, log, r.resourceVersion(), historySize);
    store.objects.putAll(loaded);
    LOG.info(
        "store "
            + dir
            + ": "
            + loaded.size()
            + " objects, resourceVersion "
            + r.resourceVersion()
            + ", "
            + r.records()
            + " log records");
    return store;
  }

  private <T> Future<T> run(Callable<T> op) {
    return vertx.executeBlocking(
        () -> {
          synchronized (lock) {
            return op.call();
          }
        },
        false);
  }

  @Override
  public Future<ObjectNode> get(StoreKey key) {
    ObjectNode o =
        objects.get(key); // stored trees are replaced, never mutated, so reading one is safe
    return o == null
        ? Future.failedFuture(new StoreException.NotFound(key))
        : Future.succeededFuture(o.deepCopy());
  }

  @Override
  public Future<Listing> list(String resource, String namespace) {
    long rv = resourceVersion; // read first: the items are then at least as new as rv
    List<ObjectNode> items = new ArrayList<>();
    for (Map.Entry<StoreKey, ObjectNode> e : objects.entrySet()) {
      StoreKey k = e.getKey();
      if (k.resource().equals(resource) && (namespace == null || namespace.equals(k.namespace()))) {
        items.add(e.getValue().deepCopy());
      }
    }
    return Future.succeededFuture(new Listing(items, rv));
  }

  @Override
  public Future<ObjectNode> create(StoreKey key, ObjectNode object) {
    return run(
        () -> {
          if (objects.containsKey(key)) {
            throw new StoreException.AlreadyExists(key);
          }
          ObjectNode stored = object.deepCopy();
          long rv = write(key, stored);
          history.publish(new StoreEvent(StoreEvent.Type.ADDED, key, rv, stored.deepCopy(), null));
          return stored.deepCopy();
        });
  }

  @Override
  public Future<ObjectNode> update(StoreKey key, UnaryOperator<ObjectNode> update) {
    return run(
        () -> {
          ObjectNode current = objects.get(key);
          if (current == null) {
            throw new StoreException.NotFound(key);
          }
          ObjectNode next = update.apply(current.deepCopy());
          String wanted = next.path("metadata").path("resourceVersion").asText("");
          String have = current.path("metadata").path("resourceVersion").asText("");
          if (!wanted.isEmpty() && !wanted.equals(have)) {
            throw new StoreException.Conflict(key);
          }
          if (Objects.equals(withoutVersion(next), withoutVersion(current))) {
            return current.deepCopy(); // a no-op write keeps its resourceVersion, as upstream's
            // GuaranteedUpdate does
          }
          long rv = write(key, next);
          history.publish(
              new StoreEvent(StoreEvent.Type.MODIFIED, key, rv, next.deepCopy(), current));
          return next.deepCopy();
        });
  }

  private static ObjectNode withoutVersion(ObjectNode o) {
    ObjectNode c = o.deepCopy();
    if (c.get("metadata") instanceof ObjectNode m) {
      m.remove("resourceVersion");
    }
    return c;
  }

  @Override
  public Future<ObjectNode> delete(StoreKey key, Consumer<ObjectNode> precondition) {
    return run(
        () -> {
          ObjectNode current = objects.get(key);
          if (current == null) {
            throw new StoreException.NotFound(key);
          }
          precondition.accept(current.deepCopy());
          long rv = resourceVersion + 1;
          log.appendDelete(rv, key);
          objects.remove(key);
          resourceVersion = rv;
          ObjectNode last = current.deepCopy();
          last.withObjectProperty("metadata").put("resourceVersion", Long.toString(rv));
          history.publish(
              new StoreEvent(StoreEvent.Type.DELETED, key, rv, last.deepCopy(), current));
          log.maybeCompact(resourceVersion, objects);
          return last;
        });
  }

  /** Stamps the next resourceVersion, logs, then applies in memory. */
  private long write(StoreKey key, ObjectNode object) throws IOException {
    long rv = resourceVersion + 1;
    object.withObjectProperty("metadata").put("resourceVersion", Long.toString(rv));
    log.appendPut(rv, key, object);
    objects.put(key, object);
    resourceVersion = rv; // after the object is visible, see the class comment
    log.maybeCompact(resourceVersion, objects);
    return rv;
  }

  @Override
  public Future<Subscription> watch(long fromResourceVersion, Consumer<StoreEvent> listener) {
    return run(() -> history.subscribe(fromResourceVersion, resourceVersion, listener));
  }

  @Override
  public long currentResourceVersion() {
    return resourceVersion;
  }

  @Override
  public Future<Void> close() {
    return run(
        () -> {
          try {
            log.close();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return null;
        });
  }
}
