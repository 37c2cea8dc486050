package io.kubehop.apiserver.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.meta.Times;
import io.kubehop.apiserver.registry.Meta;
import io.kubehop.apiserver.storage.Store;
import io.kubehop.apiserver.storage.StoreKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * A minimal default-scheduler: binds every pod without {@code spec.nodeName} to the Ready,
 * schedulable node with the fewest pods (ties by name), and sets condition PodScheduled=True. A pod
 * that fits nowhere gets PodScheduled=False, reason Unschedulable, and is retried. Passes run after
 * store changes and every {@code retryMillis}.
 */
public final class Scheduler {

  private static final Logger LOG = Logger.getLogger(Scheduler.class.getName());

  private final Vertx vertx;
  private final Store store;
  private final Clock clock;
  private final long retryMillis;
  private boolean running;
  private boolean again;
  private long timer = -1;
  private volatile Store.Subscription subscription;
  private volatile boolean stopped;

  public Scheduler(Vertx vertx, Store store, Clock clock, long retryMillis) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.retryMillis = retryMillis;
  }

  /** Starts on the current Vert.x context; again after {@link #stop()} (a regained Lease). */
  public void start() {
    stopped = false;
    Context ctx = vertx.getOrCreateContext();
    subscribe(ctx);
    timer = vertx.setPeriodic(retryMillis, t -> trigger());
    ctx.runOnContext(v -> trigger());
  }

  /** Watches pods and nodes from now on, again whenever the store ends the watch. */
  private void subscribe(Context ctx) {
    store
        .watch(
            0,
            e -> {
              if (e.key().resource().equals("pods") || e.key().resource().equals("nodes")) {
                ctx.runOnContext(v -> trigger());
              }
            })
        .onSuccess(
            s -> {
              if (stopped) {
                s.cancel(); // stopped (the Lease lost) before the watch was open
                return;
              }
              subscription = s;
              s.ended()
                  .onFailure(
                      t ->
                          ctx.runOnContext(
                              v -> {
                                if (!stopped) {
                                  subscribe(ctx);
                                  trigger(); // what the lost events would have triggered
                                }
                              }));
            });
  }

  public void stop() {
    stopped = true;
    if (subscription != null) {
      subscription.cancel();
    }
    vertx.cancelTimer(timer);
  }

  /** Runs a pass, or one more after the current one (passes never overlap). */
  private void trigger() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    pass()
        .onComplete(
            ar -> {
              if (ar.failed()) {
                LOG.warning("scheduling pass failed: " + ar.cause());
              }
              running = false;
              if (again) {
                trigger();
              }
            });
  }

  private Future<Void> pass() {
    return store
        .list("nodes", null)
        .compose(
            nodes ->
                store
                    .list("pods", null)
                    .compose(
                        pods -> {
                          List<ObjectNode> ready = new ArrayList<>();
                          for (ObjectNode n : nodes.items()) {
                            if (schedulable(n)) {
                              ready.add(n);
                            }
                          }
                          Map<String, Integer> load = new HashMap<>();
                          List<ObjectNode> pending = new ArrayList<>();
                          for (ObjectNode p : pods.items()) {
                            String node = p.path("spec").path("nodeName").asText("");
                            if (!node.isEmpty()) {
                              load.merge(node, 1, Integer::sum);
                            } else if (!p.path("metadata").hasNonNull("deletionTimestamp")
                                && p.path("spec")
                                    .path("schedulerName")
                                    .asText("default-scheduler")
                                    .equals("default-scheduler")) {
                              pending.add(p);
                            }
                          }
                          Future<Void> chain = Future.succeededFuture();
                          for (ObjectNode pod : pending) {
                            ObjectNode target = leastLoaded(ready, load);
                            if (target != null) {
                              String nodeName = Meta.name(target);
                              load.merge(nodeName, 1, Integer::sum);
                              chain = chain.compose(v -> bind(pod, nodeName));
                            } else {
                              String why =
                                  nodes.items().isEmpty()
                                      ? "no nodes available to schedule pods"
                                      : "0/"
                                          + nodes.items().size()
                                          + " nodes are available: "
                                          + nodes.items().size()
                                          + " node(s) were not ready or were unschedulable. preemption: 0/"
                                          + nodes.items().size()
                                          + " nodes are available: "
                                          + nodes.items().size()
                                          + " Preemption is not helpful for scheduling.";
                              chain = chain.compose(v -> markUnschedulable(pod, why));
                            }
                          }
                          return chain;
                        }));
  }

  static boolean schedulable(ObjectNode node) {
    if (node.path("spec").path("unschedulable").asBoolean(false)
        || node.path("metadata").hasNonNull("deletionTimestamp")) {
      return false;
    }
    for (JsonNode c : node.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        return c.path("status").asText().equals("True");
      }
    }
    return false;
  }

  private static ObjectNode leastLoaded(List<ObjectNode> nodes, Map<String, Integer> load) {
    ObjectNode best = null;
    for (ObjectNode n : nodes) {
      if (best == null
          || load.getOrDefault(Meta.name(n), 0) < load.getOrDefault(Meta.name(best), 0)
          || (load.getOrDefault(Meta.name(n), 0).equals(load.getOrDefault(Meta.name(best), 0))
              && Meta.name(n).compareTo(Meta.name(best)) < 0)) {
        best = n;
      }
    }
    return best;
  }

  private Future<Void> bind(ObjectNode pod, String nodeName) {
    StoreKey key = new StoreKey("pods", Meta.namespace(pod), Meta.name(pod));
    boolean[] bound = {false};
    return store
        .update(
            key,
            current -> {
              if (!current.path("spec").path("nodeName").asText("").isEmpty()) {
                bound[0] = false;
                return current; // bound meanwhile
              }
              ((ObjectNode) current.get("spec")).put("nodeName", nodeName);
              setCondition(current, "True", null, null);
              bound[0] = true;
              return current;
            })
        .compose(
            p -> {
              if (!bound[0]) {
                return Future.succeededFuture();
              }
              LOG.info("bound pod " + key.namespace() + "/" + key.name() + " to node " + nodeName);
              return recordScheduled(p, nodeName);
            })
        .<Void>mapEmpty()
        .recover(t -> Future.succeededFuture());
  }

  /**
   * The Scheduled event of a bound pod, in upstream's words ({@code Successfully assigned ns/name
   * to node}), from {@code default-scheduler}. Written straight to the store, as the scheduler
   * writes its bindings; a failure is logged and does not undo the binding (events are best
   * effort).
   */
  private Future<Void> recordScheduled(ObjectNode pod, String nodeName) {
    Instant now = clock.instant();
    String ns = Meta.namespace(pod);
    String name = Meta.name(pod);
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    lastEventNanos = Math.max(nanos, lastEventNanos + 1);
    String eventName = name + "." + Long.toHexString(lastEventNanos);
    ObjectNode ev = JsonNodeFactory.instance.objectNode();
    ev.put("apiVersion", "v1").put("kind", "Event");
    ObjectNode meta = ev.putObject("metadata");
    meta.put("name", eventName).put("namespace", ns);
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("creationTimestamp", Times.format(now));
    ObjectNode ref = ev.putObject("involvedObject");
    ref.put("kind", "Pod").put("namespace", ns).put("name", name);
    ref.put("uid", pod.path("metadata").path("uid").asText());
    ref.put("apiVersion", "v1");
    ref.put("resourceVersion", Meta.resourceVersion(pod));
    ev.put("reason", "Scheduled");
    ev.put("message", "Successfully assigned " + ns + "/" + name + " to " + nodeName);
    ev.putObject("source").put("component", "default-scheduler");
    ev.put("firstTimestamp", Times.format(now));
    ev.put("lastTimestamp", Times.format(now));
    ev.put("count", 1);
    ev.put("type", "Normal");
    ev.put("eventTime", MICRO.format(now));
    ev.put("action", "Binding");
    ev.put("reportingComponent", "default-scheduler");
    ev.put("reportingInstance", "default-scheduler");
    return store
        .create(new StoreKey("events", ns, eventName), ev)
        .<Void>mapEmpty()
        .recover(
            t -> {
              LOG.fine("Scheduled event of pod " + ns + "/" + name + " not written: " + t);
              return Future.succeededFuture();
            });
  }

  /** metav1.MicroTime: RFC 3339 with microseconds. */
  private static final DateTimeFormatter MICRO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private long lastEventNanos;

  private Future<Void> markUnschedulable(ObjectNode pod, String message) {
    for (JsonNode c : pod.path("status").path("conditions")) {
      if (c.path("type").asText().equals("PodScheduled")
          && c.path("status").asText().equals("False")
          && c.path("message").asText().equals(message)) {
        return Future.succeededFuture(); // already says so: no write, no event
      }
    }
    StoreKey key = new StoreKey("pods", Meta.namespace(pod), Meta.name(pod));
    return store
        .update(
            key,
            current -> {
              if (!current.path("spec").path("nodeName").asText("").isEmpty()) {
                return current;
              }
              setCondition(current, "False", "Unschedulable", message);
              return current;
            })
        .<Void>mapEmpty()
        .recover(t -> Future.succeededFuture());
  }

  private void setCondition(ObjectNode pod, String status, String reason, String message) {
    ObjectNode st = pod.get("status") instanceof ObjectNode s ? s : pod.putObject("status");
    ArrayNode conditions =
        st.get("conditions") instanceof ArrayNode a ? a : st.putArray("conditions");
    ObjectNode cond = null;
    for (JsonNode c : conditions) {
      if (c.path("type").asText().equals("PodScheduled")) {
        cond = (ObjectNode) c;
      }
    }
    if (cond == null) {
      cond = conditions.addObject();
    }
    cond.removeAll();
    cond.put("type", "PodScheduled").put("status", status);
    cond.putNull("lastProbeTime");
    cond.put("lastTransitionTime", Times.format(clock.instant()));
    if (reason != null) {
      cond.put("reason", reason).put("message", message);
    }
  }
}
