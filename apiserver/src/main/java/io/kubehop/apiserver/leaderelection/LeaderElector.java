package io.kubehop.apiserver.leaderelection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.apiserver.registry.Meta;
import io.kubehop.apiserver.registry.ObjectMetaDefaults;
import io.kubehop.apiserver.storage.Store;
import io.kubehop.apiserver.storage.StoreException;
import io.kubehop.apiserver.storage.StoreKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Client-go's {@code tools/leaderelection} on a {@code coordination.k8s.io/v1} Lease kept in the
 * {@link Store}: one of several apiservers sharing an etcd runs a controller, the others stand by.
 *
 * <p>Every {@link LeaderElection#retryPeriod()} each candidate reads the Lease. A Lease held by
 * another identity counts as held until {@code leaseDurationSeconds} have passed on this
 * candidate's own clock since it last saw the Lease <em>change</em> (upstream's {@code
 * observedTime}: no two clocks are ever compared). A free or expired Lease, or its own, is written
 * back with this identity and a fresh {@code renewTime}, carrying the resourceVersion it was read
 * at: the store's compare-and-swap lets exactly one of two racing candidates win, the other gets
 * {@code Conflict} and stays a candidate. A leader that cannot renew for {@link
 * LeaderElection#renewDeadline()} (shorter than the lease, so it stops before anyone may take over)
 * or that finds the Lease held by another stops leading, and goes back to being a candidate.
 *
 * <p>Confined to the Vert.x context {@link #start()} runs on; the callbacks run there too.
 */
public final class LeaderElector {

  private static final Logger LOG = Logger.getLogger(LeaderElector.class.getName());

  /** metav1.MicroTime: RFC 3339 with microseconds, as the Lease's times are written upstream. */
  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final Vertx vertx;
  private final Store store;
  private final StoreKey lease;
  private final LeaderElection config;
  private final Clock clock;
  private final LongSupplier nanos;
  private final Runnable onStartedLeading;
  private final Runnable onStoppedLeading;

  private long timer = -1;
  private boolean busy;
  private boolean stopped;
  private volatile boolean leader;
  private long lastRenewNanos;
  private JsonNode observedSpec;
  private long observedNanos;
  private String observedResourceVersion;

  /**
   * @param lease where the Lease lives, e.g. {@code leases/kube-system/kube-scheduler}
   */
  public LeaderElector(
      Vertx vertx,
      Store store,
      StoreKey lease,
      LeaderElection config,
      Runnable onStartedLeading,
      Runnable onStoppedLeading) {
    this(
        vertx,
        store,
        lease,
        config,
        Clock.systemUTC(),
        System::nanoTime,
        onStartedLeading,
        onStoppedLeading);
  }

  LeaderElector(
      Vertx vertx,
      Store store,
      StoreKey lease,
      LeaderElection config,
      Clock clock,
      LongSupplier nanos,
      Runnable onStartedLeading,
      Runnable onStoppedLeading) {
    this.vertx = vertx;
    this.store = store;
    this.lease = lease;
    this.config = config;
    this.clock = clock;
    this.nanos = nanos;
    this.onStartedLeading = onStartedLeading;
    this.onStoppedLeading = onStoppedLeading;
  }

  /** Tries at once, then every retry period, on the current Vert.x context. */
  public void start() {
    vertx.getOrCreateContext().runOnContext(v -> tick());
    timer = vertx.setPeriodic(Math.max(1, config.retryPeriod().toMillis()), t -> tick());
  }

  /** Whether this candidate leads now. */
  public boolean isLeader() {
    return leader;
  }

  public String identity() {
    return config.identity();
  }

  /**
   * Stops trying; a leader stops leading and releases the Lease (an empty holder, as upstream's
   * {@code ReleaseOnCancel}), so that a standby takes over at its next try rather than after the
   * lease expires.
   */
  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    if (!leader) {
      return Future.succeededFuture();
    }
    lose("stopping");
    String rv = observedResourceVersion;
    return store
        .update(
            lease,
            current -> {
              ObjectNode released = current.deepCopy();
              Meta.metadata(released).put("resourceVersion", rv);
              ObjectNode spec = released.withObjectProperty("spec");
              if (!config.identity().equals(spec.path("holderIdentity").asText())) {
                throw new StoreException.Conflict(
                    lease); // another holds it now: nothing to release
              }
              String now = MICRO_TIME.format(clock.instant());
              spec.put("holderIdentity", "")
                  .put("leaseDurationSeconds", 1)
                  .put("acquireTime", now)
                  .put("renewTime", now);
              return released;
            })
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  private void tick() {
    if (busy || stopped) {
      return;
    }
    busy = true;
    tryAcquireOrRenew()
        .onComplete(
            ar -> {
              busy = false;
              if (stopped) {
                return;
              }
              if (ar.succeeded() && ar.result()) {
                lastRenewNanos = nanos.getAsLong();
                if (!leader) {
                  leader = true;
                  LOG.info(
                      "successfully acquired lease "
                          + lease.namespace()
                          + "/"
                          + lease.name()
                          + " as "
                          + config.identity());
                  onStartedLeading.run();
                }
              } else if (leader) {
                if (ar.succeeded()) {
                  lose("the lease is held by " + observedHolder());
                } else if (nanos.getAsLong() - lastRenewNanos > config.renewDeadline().toNanos()) {
                  lose("failed to renew within " + config.renewDeadline() + ": " + ar.cause());
                }
              }
            });
  }

  private void lose(String why) {
    leader = false;
    LOG.warning("leader lost lease " + lease.namespace() + "/" + lease.name() + ": " + why);
    onStoppedLeading.run();
  }

  private String observedHolder() {
    return observedSpec == null ? "nobody" : observedSpec.path("holderIdentity").asText();
  }

  /** True when this identity holds the Lease after the call. */
  private Future<Boolean> tryAcquireOrRenew() {
    return store
        .get(lease)
        .compose(
            this::acquireOrRenew,
            t -> t instanceof StoreException.NotFound ? create() : Future.failedFuture(t));
  }

  private Future<Boolean> create() {
    ObjectNode object = ApiJson.mapper().createObjectNode();
    object.put("apiVersion", "coordination.k8s.io/v1").put("kind", "Lease");
    object.putObject("metadata").put("name", lease.name()).put("namespace", lease.namespace());
    ObjectMetaDefaults.fill(object);
    String now = MICRO_TIME.format(clock.instant());
    object
        .putObject("spec")
        .put("holderIdentity", config.identity())
        .put("leaseDurationSeconds", leaseSeconds())
        .put("acquireTime", now)
        .put("renewTime", now)
        .put("leaseTransitions", 0);
    return store
        .create(lease, object)
        .map(
            created -> {
              observe(created);
              return true;
            })
        .recover(
            t ->
                t instanceof StoreException.AlreadyExists
                    ? Future.succeededFuture(false)
                    : Future.failedFuture(t));
  }

  private Future<Boolean> acquireOrRenew(ObjectNode current) {
    observe(current);
    JsonNode spec = current.path("spec");
    String holder = spec.path("holderIdentity").asText("");
    boolean mine = holder.equals(config.identity());
    long durationNanos = spec.path("leaseDurationSeconds").asLong(leaseSeconds()) * 1_000_000_000L;
    if (!mine && !holder.isEmpty() && nanos.getAsLong() - observedNanos < durationNanos) {
      return Future.succeededFuture(false); // held by another, and not expired
    }
    ObjectNode next = current.deepCopy();
    ObjectNode nextSpec = next.withObjectProperty("spec");
    String now = MICRO_TIME.format(clock.instant());
    nextSpec
        .put("holderIdentity", config.identity())
        .put("leaseDurationSeconds", leaseSeconds())
        .put("renewTime", now);
    if (!mine) {
      nextSpec
          .put("acquireTime", now)
          .put("leaseTransitions", spec.path("leaseTransitions").asInt(0) + 1);
    }
    // the resourceVersion it was read at is a precondition: a candidate that raced us and won
    // makes this a Conflict, never a second winner
    return store
        .update(lease, stored -> next.deepCopy())
        .map(
            written -> {
              observe(written);
              return true;
            })
        .recover(
            t ->
                t instanceof StoreException.Conflict
                    ? Future.succeededFuture(false)
                    : Future.failedFuture(t));
  }

  private void observe(ObjectNode object) {
    JsonNode spec = object.path("spec");
    if (!spec.equals(observedSpec)) {
      observedSpec = spec.deepCopy();
      observedNanos = nanos.getAsLong();
    }
    observedResourceVersion = Meta.metadata(object).path("resourceVersion").asText();
  }

  private int leaseSeconds() {
    return (int) Math.max(1, config.leaseDuration().toSeconds());
  }
}
