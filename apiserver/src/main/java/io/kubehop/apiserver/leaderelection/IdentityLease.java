package io.kubehop.apiserver.leaderelection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.apiserver.registry.Meta;
import io.kubehop.apiserver.registry.ObjectMetaDefaults;
import io.kubehop.apiserver.storage.Store;
import io.kubehop.apiserver.storage.StoreException;
import io.kubehop.apiserver.storage.StoreKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.logging.Logger;

/**
 * This apiserver's identity Lease, as upstream's {@code APIServerIdentity} feature keeps one per
 * kube-apiserver: {@code kube-system/apiserver-<hash>} labelled {@code
 * apiserver.kubernetes.io/identity=kube-apiserver}, renewed on a period, holder = this apiserver.
 * Upstream hashes the host name (one apiserver per host) and writes {@code <name>_<uuid>} as the
 * holder; kubehop runs several apiservers on one host, so it hashes the {@code --apiserver-id} and
 * holds with the id itself. It adds the annotation {@value #URL_ANNOTATION}, the URL this apiserver
 * is reached at directly, not through a balancer: what {@code kubehop trace} asks each apiserver's
 * {@code /debug/sessions} at. A clean stop deletes the Lease; a killed apiserver's Lease stays and
 * expires ({@code renewTime} + {@code leaseDurationSeconds} in the past), which is how {@code
 * kubehop trace} tells a gone apiserver from a live one.
 *
 * <p>Confined to the Vert.x context {@link #start()} runs on.
 */
public final class IdentityLease {

  private static final Logger LOG = Logger.getLogger(IdentityLease.class.getName());

  /** The namespace every identity Lease lives in. */
  public static final String NAMESPACE = "kube-system";

  /** Upstream's label of identity Leases, and its value for a kube-apiserver. */
  public static final String LABEL = "apiserver.kubernetes.io/identity";

  public static final String LABEL_VALUE = "kube-apiserver";

  /** The annotation carrying the apiserver's own URL. */
  public static final String URL_ANNOTATION = "kubehop.io/apiserver-url";

  /** How long a Lease counts as held after its last renewal (upstream: 3600 s). */
  public static final Duration LEASE_DURATION = Duration.ofSeconds(10);

  /** How often it is renewed (upstream: every 10 s). */
  public static final Duration RENEW_INTERVAL = Duration.ofSeconds(2);

  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final Vertx vertx;
  private final Store store;
  private final String id;
  private final String url;
  private final Clock clock;
  private final StoreKey key;
  private long timer = -1;
  private boolean busy;
  private boolean stopped;

  public IdentityLease(Vertx vertx, Store store, String id, String url, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.id = id;
    this.url = url;
    this.clock = clock;
    this.key = new StoreKey("leases", NAMESPACE, leaseName(id));
  }

  /**
   * {@code apiserver-} and the first 26 hex digits of the id's SHA-256: the shape of upstream's
   * names ({@code apiserver-07a5ea9b9b072c4a5f3d1c3702}), unique per id.
   */
  public static String leaseName(String id) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return "apiserver-" + HexFormat.of().formatHex(hash).substring(0, 26);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }

  public StoreKey key() {
    return key;
  }

  /** Writes the Lease at once, then renews it every {@link #RENEW_INTERVAL}. */
  public void start() {
    vertx.getOrCreateContext().runOnContext(v -> tick());
    timer = vertx.setPeriodic(RENEW_INTERVAL.toMillis(), t -> tick());
  }

  /** Stops renewing and deletes the Lease: a cleanly stopped apiserver is no longer listed. */
  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return store
        .delete(
            key,
            current -> {
              if (!id.equals(current.path("spec").path("holderIdentity").asText())) {
                throw new StoreException.Conflict(key); // not ours (any more): leave it
              }
            })
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  private void tick() {
    if (busy || stopped) {
      return;
    }
    busy = true;
    renew()
        .onComplete(
            ar -> {
              busy = false;
              if (ar.failed()) {
                LOG.fine("cannot renew identity lease " + key.name() + ": " + ar.cause());
              }
            });
  }

  private Future<ObjectNode> renew() {
    return store
        .update(key, current -> held(current.deepCopy()))
        .recover(
            t ->
                t instanceof StoreException.NotFound && !stopped // stop() deleted it meanwhile
                    ? store.create(key, held(fresh())).recover(this::raced)
                    : Future.failedFuture(t));
  }

  private Future<ObjectNode> raced(Throwable t) {
    // an update of ours may have found nothing while the create of an earlier tick landed
    return t instanceof StoreException.AlreadyExists
        ? store.update(key, current -> held(current.deepCopy()))
        : Future.failedFuture(t);
  }

  private ObjectNode fresh() {
    ObjectNode object = ApiJson.mapper().createObjectNode();
    object.put("apiVersion", "coordination.k8s.io/v1").put("kind", "Lease");
    object.putObject("metadata").put("name", key.name()).put("namespace", NAMESPACE);
    ObjectMetaDefaults.fill(object);
    return object;
  }

  /** {@code object} renewed now, held by this apiserver and naming its URL. */
  private ObjectNode held(ObjectNode object) {
    ObjectNode metadata = Meta.metadata(object);
    metadata.remove("resourceVersion"); // a renewal never conflicts: the Lease is this id's alone
    metadata.withObjectProperty("labels").put(LABEL, LABEL_VALUE);
    metadata.withObjectProperty("annotations").put(URL_ANNOTATION, url);
    object
        .withObjectProperty("spec")
        .put("holderIdentity", id)
        .put("leaseDurationSeconds", LEASE_DURATION.toSeconds())
        .put("renewTime", MICRO_TIME.format(clock.instant()));
    return object;
  }
}
