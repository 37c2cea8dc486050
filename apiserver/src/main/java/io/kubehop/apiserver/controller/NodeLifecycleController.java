package io.kubehop.apiserver.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.meta.Times;
import io.kubehop.apiserver.registry.Meta;
import io.kubehop.apiserver.storage.Store;
import io.kubehop.apiserver.storage.StoreKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * The heartbeat half of upstream's node-lifecycle controller: every {@code monitorPeriod}, a node
 * whose Ready condition's {@code lastHeartbeatTime} is older than {@code gracePeriod} gets all its
 * conditions set to {@code Unknown} (reason {@code NodeStatusUnknown}, message {@code Kubelet
 * stopped posting node status.}), which kubectl shows as NotReady. A heartbeat from the kubelet
 * makes it Ready again. Heartbeats count from no earlier than this controller's (last) start, so an
 * apiserver restart, or a standby taking over the Lease, does not mark live nodes down.
 */
public final class NodeLifecycleController {

  private static final Logger LOG = Logger.getLogger(NodeLifecycleController.class.getName());

  private final Vertx vertx;
  private final Store store;
  private final Clock clock;
  private final Duration gracePeriod;
  private final Duration monitorPeriod;
  private Instant started;
  private long timer = -1;

  public NodeLifecycleController(
      Vertx vertx, Store store, Clock clock, Duration gracePeriod, Duration monitorPeriod) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.gracePeriod = gracePeriod;
    this.monitorPeriod = monitorPeriod;
    this.started = clock.instant();
  }

  /**
   * Starts monitoring; again after {@link #stop()} (a regained Lease), heartbeats counting anew.
   */
  public void start() {
    started = clock.instant();
    timer = vertx.setPeriodic(Math.max(1, monitorPeriod.toMillis()), t -> monitor());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  /** One monitoring pass. */
  public Future<Void> monitor() {
    Instant now = clock.instant();
    return store
        .list("nodes", null)
        .compose(
            nodes -> {
              Future<Void> chain = Future.succeededFuture();
              for (ObjectNode node : nodes.items()) {
                if (stale(node, now)) {
                  chain = chain.compose(v -> markUnknown(Meta.name(node), now));
                }
              }
              return chain;
            });
  }

  private boolean stale(ObjectNode node, Instant now) {
    JsonNode ready = readyCondition(node);
    if (ready != null && ready.path("status").asText().equals("Unknown")) {
      return false;
    }
    Instant seen = started;
    String hb =
        ready == null
            ? node.path("metadata").path("creationTimestamp").asText("")
            : ready.path("lastHeartbeatTime").asText("");
    if (!hb.isEmpty()) {
      Instant t = Times.parse(hb);
      seen = t.isAfter(seen) ? t : seen;
    }
    return Duration.between(seen, now).compareTo(gracePeriod) > 0;
  }

  private static JsonNode readyCondition(ObjectNode node) {
    for (JsonNode c : node.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        return c;
      }
    }
    return null;
  }

  private Future<Void> markUnknown(String name, Instant now) {
    return store
        .update(
            new StoreKey("nodes", "", name),
            current -> {
              if (!stale(current, now)) {
                return current; // the kubelet posted meanwhile
              }
              ObjectNode status =
                  current.get("status") instanceof ObjectNode s ? s : current.putObject("status");
              ArrayNode conditions =
                  status.get("conditions") instanceof ArrayNode a
                      ? a
                      : status.putArray("conditions");
              boolean hadReady = false;
              for (JsonNode c : conditions) {
                ObjectNode cond = (ObjectNode) c;
                hadReady |= cond.path("type").asText().equals("Ready");
                if (!cond.path("status").asText().equals("Unknown")) {
                  cond.put("status", "Unknown")
                      .put("reason", "NodeStatusUnknown")
                      .put("message", "Kubelet stopped posting node status.")
                      .put("lastTransitionTime", Times.format(now));
                }
              }
              if (!hadReady) {
                conditions
                    .addObject()
                    .put("type", "Ready")
                    .put("status", "Unknown")
                    .put("lastHeartbeatTime", Times.format(now))
                    .put("lastTransitionTime", Times.format(now))
                    .put("reason", "NodeStatusNeverUpdated")
                    .put("message", "Kubelet never posted node status.");
              }
              return current;
            })
        .onSuccess(n -> LOG.info("node " + name + " stopped posting status: Ready=Unknown"))
        .<Void>mapEmpty()
        .recover(t -> Future.succeededFuture());
  }
}
