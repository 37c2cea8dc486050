package io.kubehop.apiserver.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.etcd.etcdserverpb.WatchCreateRequest;
import io.kubehop.etcd.etcdserverpb.WatchRequest;
import io.kubehop.etcd.etcdserverpb.WatchResponse;
import io.kubehop.etcd.mvccpb.Event;
import io.kubehop.etcd.mvccpb.KeyValue;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one etcd watch of an apiserver, over every key under the prefix, feeding an {@link
 * EventHistory} that serves all {@link Store#watch} subscriptions, as upstream's cacher does: N
 * client watches cost etcd one watch, and a watch from a recent resourceVersion replays from
 * memory. The etcd watch runs on one Vert.x context; the history and the subscribers are guarded by
 * one lock, so replay and subscription are atomic with respect to the events the watch delivers.
 *
 * <p>When the stream breaks (etcd restarted, the member went away) it is reopened, with a backoff,
 * from the revision after the last one processed, so subscribers see no gap and no duplicate. If
 * etcd has compacted that revision meanwhile the events in between are gone: every subscription
 * ends with {@link StoreException.Expired} (its {@link Store.Subscription#ended()} fails) and the
 * cache starts over at the compaction, as the cacher re-lists.
 */
final class EtcdWatchCache {

  private static final Logger LOG = Logger.getLogger(EtcdWatchCache.class.getName());
  private static final long FIRST_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 2_000;

  private final Vertx vertx;
  private final Context context;
  private final EtcdClient etcd;
  private final EtcdKeys keys;
  private final int historySize;

  private final Object lock = new Object();
  private EventHistory history; // guarded by lock
  private final Set<Subscriber> subscribers = new HashSet<>(); // guarded by lock

  /** The last revision whose events were all published: {@link Store#currentResourceVersion()}. */
  private volatile long processed;

  // The stream's state, confined to context. A generation tells a stale stream's callbacks apart.
  private long generation;
  private GrpcClientRequest<WatchRequest, WatchResponse> stream;
  private long backoffMs = FIRST_BACKOFF_MS;
  private boolean stopped;
  private boolean paused;

  EtcdWatchCache(Vertx vertx, EtcdClient etcd, EtcdKeys keys, int historySize, long revision) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.etcd = etcd;
    this.keys = keys;
    this.historySize = historySize;
    this.history = new EventHistory(historySize, revision);
    this.processed = revision;
  }

  long processed() {
    return processed;
  }

  /** Opens the etcd watch; the future completes once etcd has confirmed it. */
  Future<Void> start() {
    Promise<Void> created = Promise.promise();
    context.runOnContext(v -> connect(created));
    return created.future();
  }

  Store.Subscription subscribe(long from, Consumer<StoreEvent> listener) {
    synchronized (lock) {
      // A list read etcd directly and may be ahead of this cache: what it already holds is skipped.
      long after = from > 0 ? from : processed;
      Subscriber s = new Subscriber();
      s.inner =
          history.subscribe(
              from,
              processed,
              e -> {
                if (e.resourceVersion() > after) {
                  listener.accept(e);
                }
              });
      subscribers.add(s);
      return s;
    }
  }

  /** Closes the etcd watch for good; the future completes once no callback can reopen it. */
  Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          stopped = true;
          disconnect();
          done.complete();
        });
    return done.future();
  }

  /** For tests: the stream breaks and stays down until {@link #resume()}, as if etcd were away. */
  Future<Void> pause() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          paused = true;
          disconnect();
          done.complete();
        });
    return done.future();
  }

  void resume() {
    context.runOnContext(
        v -> {
          paused = false;
          connect(null);
        });
  }

  private void disconnect() {
    generation++;
    if (stream != null) {
      stream.cancel();
      stream = null;
    }
  }

  private void connect(Promise<Void> created) {
    if (stopped || paused || stream != null) {
      return;
    }
    long gen = ++generation;
    long from = processed + 1;
    etcd.watch(r -> onResponse(gen, r, created), e -> onEnded(gen, e, created))
        .onSuccess(
            req -> {
              if (gen != generation) {
                req.cancel();
                return;
              }
              stream = req;
              req.write(
                  WatchRequest.newBuilder()
                      .setCreateRequest(
                          WatchCreateRequest.newBuilder()
                              .setKey(keys.all())
                              .setRangeEnd(EtcdKeys.rangeEnd(keys.all()))
                              .setStartRevision(from)
                              .setPrevKv(true))
                      .build());
            })
        .onFailure(e -> onEnded(gen, e, created));
  }

  private void onEnded(long gen, Throwable cause, Promise<Void> created) {
    if (gen != generation || stopped) {
      return;
    }
    disconnect();
    if (created != null
        && created.tryFail(
            cause == null
                ? new IllegalStateException("etcd closed the watch it was to create")
                : cause)) {
      return; // the store did not open: nothing to resume
    }
    if (cause instanceof EtcdClient.EtcdException e && e.status() == GrpcStatus.UNAVAILABLE) {
      etcd.failover(etcd.member());
    }
    // the first failure says what happened; the retries while etcd stays away only at FINE
    LOG.log(
        backoffMs == FIRST_BACKOFF_MS ? Level.WARNING : Level.FINE,
        "etcd watch ended ("
            + (cause == null ? "closed by etcd" : cause.getMessage())
            + "); reopening on "
            + etcd.member()
            + " from revision "
            + (processed + 1)
            + " in "
            + backoffMs
            + " ms");
    vertx.setTimer(backoffMs, t -> context.runOnContext(v -> connect(null)));
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
  }

  private void onResponse(long gen, WatchResponse r, Promise<Void> created) {
    if (gen != generation) {
      return;
    }
    if (r.getCanceled()) {
      if (r.getCompactRevision() > 0) {
        compacted(r.getCompactRevision(), created);
      } else {
        onEnded(
            gen,
            new EtcdClient.EtcdException(
                GrpcStatus.CANCELLED, "watch canceled: " + r.getCancelReason()),
            created);
      }
      return;
    }
    if (r.getCreated()) {
      if (backoffMs > FIRST_BACKOFF_MS) {
        LOG.info("etcd watch reopened from revision " + (processed + 1));
      }
      backoffMs = FIRST_BACKOFF_MS;
      if (created != null) {
        created.tryComplete();
      }
    }
    if (r.getEventsCount() > 0) {
      publish(r.getEventsList());
    }
  }

  private void publish(List<Event> events) {
    synchronized (lock) {
      for (Event e : events) {
        long rv = e.getKv().getModRevision();
        if (rv <= processed) {
          continue; // a reopened stream never repeats one, but a duplicate must not reach a client
        }
        StoreEvent se = toStoreEvent(e);
        if (se != null) {
          history.publish(se);
        }
        processed = rv;
      }
    }
  }

  /**
   * The revisions after {@link #processed} are gone: end every subscription, and start over at the
   * compaction, the oldest revision etcd can still watch from.
   */
  private void compacted(long compactRevision, Promise<Void> created) {
    disconnect();
    StoreException.Expired expired = new StoreException.Expired(processed + 1, compactRevision);
    LOG.warning(
        "etcd compacted revision "
            + compactRevision
            + " while its watch was down; ending every watch so that clients relist ("
            + expired.getMessage()
            + ")");
    List<Subscriber> ended;
    synchronized (lock) {
      ended = new ArrayList<>(subscribers);
      subscribers.clear();
      history = new EventHistory(historySize, compactRevision - 1);
      processed = compactRevision - 1;
    }
    for (Subscriber s : ended) {
      s.inner.cancel();
      s.ended.tryFail(expired);
    }
    connect(created);
  }

  private StoreEvent toStoreEvent(Event e) {
    KeyValue kv = e.getKv();
    StoreKey key = keys.parse(kv.getKey());
    if (key == null) {
      return null;
    }
    try {
      long rv = kv.getModRevision();
      ObjectNode previous = e.hasPrevKv() ? EtcdKeys.decode(e.getPrevKv()) : null;
      if (e.getType() == Event.EventType.DELETE) {
        if (previous == null) {
          return null; // prev_kv was compacted away: nothing to tell a client about
        }
        return new StoreEvent(
            StoreEvent.Type.DELETED, key, rv, EtcdKeys.stamp(previous.deepCopy(), rv), previous);
      }
      boolean added = kv.getCreateRevision() == rv;
      return new StoreEvent(
          added ? StoreEvent.Type.ADDED : StoreEvent.Type.MODIFIED,
          key,
          rv,
          EtcdKeys.decode(kv),
          added ? null : previous);
    } catch (RuntimeException bad) {
      LOG.log(Level.WARNING, "skipping etcd key " + kv.getKey().toStringUtf8() + ": " + bad);
      return null;
    }
  }

  private final class Subscriber implements Store.Subscription {
    private Store.Subscription inner;
    private final Promise<Void> ended = Promise.promise();

    @Override
    public void cancel() {
      synchronized (lock) {
        inner.cancel();
        subscribers.remove(this);
      }
    }

    @Override
    public Future<Void> ended() {
      return ended.future();
    }
  }
}
