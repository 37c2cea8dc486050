package io.kubehop.kubelet.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.core.Pod;
import io.kubehop.api.meta.Times;
import io.kubehop.kubelet.apiserver.ApiClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes core/v1 Events about pods (client-go's event broadcaster and correlator at their
 * simplest). {@link #record} never blocks and may be called from any thread: it puts the event on a
 * bounded queue (full: the event is dropped and counted) that one writer on the recorder's context
 * drains, one request at a time. An event equal to one already written (same involved object, field
 * path, type, reason and message) is not written again: the existing one gets {@code count} + 1 and
 * a new {@code lastTimestamp} by a merge patch, so that kubectl shows {@code (x5 over 10s)}. Write
 * failures (an apiserver without the events resource answers 404) are logged at fine level only:
 * events are best effort, as upstream's are.
 */
public final class EventRecorder {

  private static final Logger LOG = Logger.getLogger(EventRecorder.class.getName());

  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";

  /** Events waiting to be written; more are dropped (upstream's broadcaster queues 1000). */
  static final int QUEUE_CAPACITY = 1000;

  /** Events remembered for aggregation (upstream's correlator LRU holds 4096). */
  static final int CACHE_CAPACITY = 4096;

  /**
   * What an event is about: core/v1 ObjectReference.
   *
   * @param fieldPath {@code spec.containers{name}} for a container's events, else null
   */
  public record InvolvedObject(
      String kind,
      String namespace,
      String name,
      String uid,
      String apiVersion,
      String resourceVersion,
      String fieldPath) {

    /** The pod itself ({@code container} null) or one of its containers. */
    public static InvolvedObject of(Pod pod, String container) {
      return new InvolvedObject(
          "Pod",
          pod.namespace(),
          pod.name(),
          pod.metadata().uid(),
          "v1",
          pod.metadata().resourceVersion(),
          container == null ? null : "spec.containers{" + container + "}");
    }
  }

  private record Pending(
      InvolvedObject object, String type, String reason, String message, Instant at) {}

  /** The identity under which equal events aggregate. */
  private record Key(
      String namespace,
      String name,
      String uid,
      String fieldPath,
      String type,
      String reason,
      String message) {}

  private record Written(String name, int count, String firstTimestamp) {}

  private final Context context;
  private final ApiClient api;
  private final String component;
  private final String host;
  private final Clock clock;
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicBoolean draining = new AtomicBoolean();
  private long lastNanos;

  /** Confined to {@link #context}: the correlator's memory, oldest first. */
  private final Map<Key, Written> written =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Written> eldest) {
          return size() > CACHE_CAPACITY;
        }
      };

  /**
   * @param component {@code source.component} and {@code reportingComponent}: {@code kubelet}
   * @param host {@code source.host} and {@code reportingInstance}: the node's name
   */
  public EventRecorder(Vertx vertx, ApiClient api, String component, String host, Clock clock) {
    this.context = vertx.getOrCreateContext();
    this.api = api;
    this.component = component;
    this.host = host;
    this.clock = clock;
  }

  /** Records an event now; never blocks. */
  public void record(InvolvedObject object, String type, String reason, String message) {
    if (queued.incrementAndGet() > QUEUE_CAPACITY) {
      queued.decrementAndGet();
      long n = dropped.incrementAndGet();
      LOG.fine(() -> "event queue full, dropped " + reason + " (" + n + " dropped so far)");
      return;
    }
    queue.add(new Pending(object, type, reason, message, clock.instant()));
    if (draining.compareAndSet(false, true)) {
      context.runOnContext(v -> drain());
    }
  }

  /** Events dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Writes the queued events one after the other, on the recorder's context. */
  private void drain() {
    Pending next = queue.poll();
    if (next == null) {
      draining.set(false);
      // an event queued between the poll and the reset must not wait for the next one
      if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
        drain();
      }
      return;
    }
    queued.decrementAndGet();
    Future<Void> write;
    try {
      write = write(next);
    } catch (RuntimeException e) {
      write = Future.failedFuture(e);
    }
    write.onComplete(
        ar -> {
          if (ar.failed()) {
            LOG.log(
                Level.FINE, "event " + next.reason() + " not written: " + ar.cause().getMessage());
          }
          drain();
        });
  }

  private Future<Void> write(Pending p) {
    InvolvedObject o = p.object();
    Key key =
        new Key(o.namespace(), o.name(), o.uid(), o.fieldPath(), p.type(), p.reason(), p.message());
    String now = Times.format(p.at());
    Written prev = written.get(key);
    String base = "/api/v1/namespaces/" + o.namespace() + "/events";
    if (prev != null) {
      Written next = new Written(prev.name(), prev.count() + 1, prev.firstTimestamp());
      written.put(key, next);
      ObjectNode patch = JsonNodeFactory.instance.objectNode();
      patch.put("count", next.count());
      patch.put("lastTimestamp", now);
      patch.put("message", p.message());
      return api.mergePatch(base + "/" + next.name(), patch)
          .compose(
              resp -> {
                if (resp.ok()) {
                  return Future.succeededFuture();
                }
                if (resp.status() == 404) {
                  // deleted meanwhile (or never written): create it again, keeping its count
                  return create(base, event(p, next, now));
                }
                return Future.failedFuture("HTTP " + resp.status() + " " + resp.body());
              });
    }
    Written first = new Written(o.name() + "." + Long.toHexString(uniqueNanos(p.at())), 1, now);
    written.put(key, first);
    return create(base, event(p, first, now));
  }

  private Future<Void> create(String base, ObjectNode event) {
    return api.post(base, event)
        .compose(
            resp ->
                resp.ok()
                    ? Future.succeededFuture()
                    : Future.failedFuture("HTTP " + resp.status() + " " + resp.body()));
  }

  /** The event's name suffix: its time in nanoseconds, made unique as names must be. */
  private long uniqueNanos(Instant at) {
    long nanos = at.getEpochSecond() * 1_000_000_000L + at.getNano();
    lastNanos = Math.max(nanos, lastNanos + 1);
    return lastNanos;
  }

  ObjectNode event(Pending p, Written w, String lastTimestamp) {
    InvolvedObject o = p.object();
    ObjectNode ev = JsonNodeFactory.instance.objectNode();
    ev.put("apiVersion", "v1");
    ev.put("kind", "Event");
    ObjectNode meta = ev.putObject("metadata");
    meta.put("name", w.name());
    meta.put("namespace", o.namespace());
    ObjectNode ref = ev.putObject("involvedObject");
    ref.put("kind", o.kind());
    ref.put("namespace", o.namespace());
    ref.put("name", o.name());
    ref.put("uid", o.uid());
    ref.put("apiVersion", o.apiVersion());
    if (o.resourceVersion() != null) {
      ref.put("resourceVersion", o.resourceVersion());
    }
    if (o.fieldPath() != null) {
      ref.put("fieldPath", o.fieldPath());
    }
    ev.put("reason", p.reason());
    ev.put("message", p.message());
    ObjectNode source = ev.putObject("source");
    source.put("component", component);
    source.put("host", host);
    ev.put("firstTimestamp", w.firstTimestamp());
    ev.put("lastTimestamp", lastTimestamp);
    ev.put("count", w.count());
    ev.put("type", p.type());
    ev.putNull("eventTime");
    ev.put("reportingComponent", component);
    ev.put("reportingInstance", host);
    return ev;
  }
}
