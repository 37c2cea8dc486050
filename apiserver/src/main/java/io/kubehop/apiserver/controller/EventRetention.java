package io.kubehop.apiserver.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.apiserver.registry.Meta;
import io.kubehop.apiserver.storage.Store;
import io.kubehop.apiserver.storage.StoreKey;
import io.kubehop.apiserver.table.TableBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Keeps the stored core/v1 Events bounded. Upstream's apiserver stores each event under an etcd
 * lease of {@code --event-ttl} (1 h), renewed by every write, so events expire an hour after they
 * were last reported; kubehop's stores have no leases, so this sweeps: every {@link #period} it
 * deletes the events last written more than {@code ttl} ago, and it caps the total kept at {@code
 * maxEvents}. An event's last write is the latest of its creationTimestamp, firstTimestamp,
 * lastTimestamp, eventTime and series.lastObservedTime (a reporter that bumps count updates
 * lastTimestamp), so the server-set creationTimestamp guarantees at least {@code ttl} of life.
 *
 * <p>The cap: creates are counted against the number left by the last sweep; once over the cap, a
 * sweep removes the oldest events down to {@link #LOW_WATERMARK} of it, so that a burst does not
 * list all events on every create. Between a create and its sweep the store may briefly hold a few
 * more than the cap (the creates that arrive while that sweep runs).
 */
public final class EventRetention {

  private static final Logger LOG = Logger.getLogger(EventRetention.class.getName());

  /** A sweep over the cap keeps this share of it, oldest removed first. */
  static final double LOW_WATERMARK = 0.9;

  /**
   * {@code --event-ttl} and {@code --max-events}.
   *
   * @param ttl how long after its last write an event is deleted (upstream's default: 1 h)
   * @param maxEvents the most events kept in all namespaces together
   */
  public record Limits(Duration ttl, int maxEvents) {
    public static final Limits DEFAULT = new Limits(Duration.ofHours(1), 10_000);

    public Limits {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("--event-ttl must be positive: " + ttl);
      }
      if (maxEvents < 1) {
        throw new IllegalArgumentException("--max-events must be at least 1: " + maxEvents);
      }
    }
  }

  private final Vertx vertx;
  private final Store store;
  private final Clock clock;
  private final Limits limits;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();

  /** The events the last sweep left, plus those created since. */
  private final AtomicLong estimate = new AtomicLong();

  private long timer = -1;

  public EventRetention(Vertx vertx, Store store, Clock clock, Limits limits) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.limits = limits;
  }

  /** How often the TTL sweep runs: a tenth of the TTL, between 1 s and 1 min. */
  Duration period() {
    long ms = limits.ttl().toMillis() / 10;
    return Duration.ofMillis(Math.max(1_000, Math.min(60_000, ms)));
  }

  public void start() {
    sweep();
    timer = vertx.setPeriodic(period().toMillis(), t -> sweep());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** Counts a created event; sweeps when that may put the store over the cap. */
  public void created() {
    if (estimate.incrementAndGet() > limits.maxEvents()) {
      sweep();
    }
  }

  /** One sweep; a request while one runs makes it run once more afterwards. */
  public Future<Void> sweep() {
    if (!running.compareAndSet(false, true)) {
      again.set(true);
      return Future.succeededFuture();
    }
    return store
        .list("events", null)
        .compose(listing -> deleteExpiredAndOldest(listing.items()))
        .onFailure(t -> LOG.warning("event retention sweep failed: " + t))
        .eventually(
            () -> {
              running.set(false);
              if (again.getAndSet(false)) {
                sweep();
              }
              return Future.succeededFuture();
            });
  }

  private Future<Void> deleteExpiredAndOldest(List<ObjectNode> events) {
    Instant cutoff = clock.instant().minus(limits.ttl());
    List<ObjectNode> expired = new ArrayList<>();
    List<ObjectNode> alive = new ArrayList<>();
    for (ObjectNode e : events) {
      (lastWrite(e).isAfter(cutoff) ? alive : expired).add(e);
    }
    List<Future<ObjectNode>> deletes = new ArrayList<>();
    for (ObjectNode e : expired) {
      // an event written again since the listing is no longer expired
      deletes.add(
          delete(
              e,
              current -> {
                if (lastWrite(current).isAfter(cutoff)) {
                  throw new IllegalStateException("written again");
                }
              }));
    }
    int kept = alive.size();
    if (alive.size() > limits.maxEvents()) {
      int keep = (int) Math.max(1, Math.floor(limits.maxEvents() * LOW_WATERMARK));
      alive.sort(Comparator.comparing(EventRetention::lastWrite));
      for (ObjectNode e : alive.subList(0, alive.size() - keep)) {
        String rv = Meta.resourceVersion(e);
        deletes.add(
            delete(
                e,
                current -> {
                  if (!Objects.equals(rv, Meta.resourceVersion(current))) {
                    throw new IllegalStateException("written again");
                  }
                }));
      }
      kept = keep;
    }
    estimate.set(kept);
    if (!deletes.isEmpty()) {
      LOG.fine("event retention: deleting " + deletes.size() + " of " + events.size() + " events");
    }
    // a delete that lost a race (the event is gone or was written again) is no failure
    return Future.join(deletes).otherwiseEmpty().mapEmpty();
  }

  private Future<ObjectNode> delete(
      ObjectNode event, java.util.function.Consumer<ObjectNode> precondition) {
    return store.delete(
        new StoreKey("events", Meta.namespace(event), Meta.name(event)), precondition);
  }

  /** The latest of the event's own times: when it was last reported. */
  static Instant lastWrite(ObjectNode event) {
    Instant latest = Instant.EPOCH;
    for (String t :
        List.of(
            event.path("metadata").path("creationTimestamp").asText(""),
            event.path("firstTimestamp").asText(""),
            event.path("lastTimestamp").asText(""),
            event.path("eventTime").asText(""),
            event.path("series").path("lastObservedTime").asText(""))) {
      Instant i = TableBuilder.parseOrNull(t);
      if (i != null && i.isAfter(latest)) {
        latest = i;
      }
    }
    return latest;
  }
}
