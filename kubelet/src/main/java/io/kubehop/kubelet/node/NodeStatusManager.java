package io.kubehop.kubelet.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.core.Node;
import io.kubehop.api.core.NodeAddress;
import io.kubehop.api.core.NodeCondition;
import io.kubehop.api.core.NodeStatus;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.ObjectMeta;
import io.kubehop.api.meta.Times;
import io.kubehop.api.version.VersionInfo;
import io.kubehop.cri.v1.RuntimeServiceClient;
import io.kubehop.cri.v1.VersionRequest;
import io.kubehop.kubelet.KubeletConfig;
import io.kubehop.kubelet.apiserver.ApiClient;
import io.kubehop.streaming.proxy.WebSocketTranslation;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Registers this kubelet's Node and keeps its status fresh (upstream's {@code
 * registerWithAPIServer} and {@code updateNodeStatus}): a Ready condition that follows the
 * runtime's health, with a heartbeat every {@code --node-status-update-frequency}.
 */
public final class NodeStatusManager {

  private static final Logger LOG = Logger.getLogger(NodeStatusManager.class.getName());
  private static final int UPDATE_RETRIES = 5;

  private final Vertx vertx;
  private final KubeletConfig config;
  private final ApiClient api;
  private final RuntimeServiceClient cri;
  private final NodeInfo info;
  private int kubeletPort;
  private boolean stopped;
  private String lastRuntimeError = "";

  public NodeStatusManager(
      Vertx vertx, KubeletConfig config, ApiClient api, RuntimeServiceClient cri, NodeInfo info) {
    this.vertx = vertx;
    this.config = config;
    this.api = api;
    this.cri = cri;
    this.info = info;
  }

  /** Registers the node, retrying until the apiserver accepts it; then starts the heartbeat. */
  public Future<Void> start(int kubeletPort) {
    this.kubeletPort = kubeletPort;
    Promise<Void> registered = Promise.promise();
    attemptRegistration(registered, 200);
    return registered.future().onSuccess(v -> scheduleHeartbeat());
  }

  public void stop() {
    stopped = true;
  }

  private void attemptRegistration(Promise<Void> registered, long backoffMs) {
    if (stopped) {
      registered.tryFail("stopped");
      return;
    }
    register()
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                LOG.info("registered node " + config.nodeName());
                registered.complete();
              } else {
                LOG.warning(
                    "unable to register node "
                        + config.nodeName()
                        + " with the apiserver: "
                        + ar.cause().getMessage());
                vertx.setTimer(
                    backoffMs,
                    id -> attemptRegistration(registered, Math.min(7000, backoffMs * 2)));
              }
            });
  }

  Future<Void> register() {
    return nodeStatus(null)
        .compose(
            status -> {
              Node node =
                  new Node(
                      "v1",
                      Node.KIND,
                      new ObjectMeta(
                          config.nodeName(),
                          null,
                          null,
                          null,
                          null,
                          null,
                          null,
                          null,
                          null,
                          labels(),
                          annotations(),
                          null,
                          null,
                          null),
                      null,
                      status);
              return api.post("/api/v1/nodes", node)
                  .compose(
                      resp -> {
                        if (resp.ok()) {
                          return Future.succeededFuture();
                        }
                        if (resp.status() != 409) {
                          return Future.failedFuture("HTTP " + resp.status() + " " + resp.body());
                        }
                        // AlreadyExists: this node was registered before (a restart); take it over
                        // with our labels and status.
                        return api.get(nodePath())
                            .compose(
                                got -> {
                                  if (!got.ok()) {
                                    return Future.failedFuture(
                                        "get node: HTTP " + got.status() + " " + got.body());
                                  }
                                  ObjectNode existing = (ObjectNode) got.json();
                                  ObjectNode meta = existing.withObjectProperty("metadata");
                                  ObjectNode labels = meta.withObjectProperty("labels");
                                  labels().forEach(labels::put);
                                  ObjectNode annotations = meta.withObjectProperty("annotations");
                                  annotations.remove(
                                      WebSocketTranslation
                                          .NODE_ANNOTATION); // a restart may have changed the mode
                                  annotations().forEach(annotations::put);
                                  existing.set("status", ApiJson.toTree(status));
                                  // A PUT of the node itself may ignore .status (as upstream's
                                  // apiserver does): post it to /status too.
                                  return api.put(nodePath(), existing)
                                      .compose(
                                          put ->
                                              put.ok()
                                                  ? tryHeartbeat(UPDATE_RETRIES)
                                                  : Future.failedFuture(
                                                      "update node: HTTP "
                                                          + put.status()
                                                          + " "
                                                          + put.body()));
                                });
                      });
            })
        .mapEmpty();
  }

  private Map<String, String> labels() {
    return Map.of(
        "kubernetes.io/hostname",
        config.nodeName(),
        "kubernetes.io/os",
        info.os(),
        "kubernetes.io/arch",
        info.arch(),
        "beta.kubernetes.io/os",
        info.os(),
        "beta.kubernetes.io/arch",
        info.arch());
  }

  /**
   * {@code kubelet.kubernetes.io/streaming-protocols} when this kubelet translates WebSockets: the
   * apiserver passes them through to it then (1.36's ExtendWebSocketsToKubelet).
   */
  private Map<String, String> annotations() {
    return config.webSocketTranslation()
        ? Map.of(WebSocketTranslation.NODE_ANNOTATION, WebSocketTranslation.KUBELET_PROTOCOLS)
        : Map.of();
  }

  private String nodePath() {
    return "/api/v1/nodes/" + config.nodeName();
  }

  private void scheduleHeartbeat() {
    if (stopped) {
      return;
    }
    // A chain of timers, not a periodic: a slow apiserver never gets overlapping heartbeats.
    vertx.setTimer(
        config.nodeStatusUpdateFrequency().toMillis(),
        id -> heartbeat().onComplete(ar -> scheduleHeartbeat()));
  }

  /**
   * One heartbeat: GET the node, PUT its status; retried on conflicts and errors, re-registers a
   * deleted node.
   */
  Future<Void> heartbeat() {
    return tryHeartbeat(UPDATE_RETRIES)
        .onFailure(e -> LOG.warning("node status update failed: " + e.getMessage()));
  }

  private Future<Void> tryHeartbeat(int triesLeft) {
    return api.get(nodePath())
        .compose(
            got -> {
              if (got.status() == 404) {
                LOG.warning(
                    "node "
                        + config.nodeName()
                        + " disappeared from the apiserver; registering it again");
                return register();
              }
              if (!got.ok()) {
                return Future.failedFuture("get node: HTTP " + got.status());
              }
              JsonNode existing = got.json();
              Node current = ApiJson.fromTree(existing, Node.class);
              return nodeStatus(current.status())
                  .compose(
                      status -> {
                        ObjectNode body = ((ObjectNode) existing).deepCopy();
                        body.set("status", ApiJson.toTree(status));
                        return api.put(nodePath() + "/status", body);
                      })
                  .compose(
                      put ->
                          put.ok()
                              ? Future.succeededFuture()
                              : Future.failedFuture(
                                  "update node status: HTTP " + put.status() + " " + put.body()));
            })
        .recover(e -> triesLeft > 1 ? tryHeartbeat(triesLeft - 1) : Future.failedFuture(e));
  }

  /**
   * The status to report now: Ready follows a CRI Version call; lastTransitionTime survives
   * unchanged status.
   */
  Future<NodeStatus> nodeStatus(NodeStatus previous) {
    return cri.version(VersionRequest.newBuilder().setVersion("v1").build())
        .transform(
            ar -> {
              String now = Times.now();
              String runtimeVersion = "";
              NodeCondition ready;
              if (ar.succeeded()) {
                runtimeVersion =
                    ar.result().getRuntimeName() + "://" + ar.result().getRuntimeVersion();
                ready =
                    new NodeCondition(
                        NodeCondition.READY,
                        "True",
                        now,
                        now,
                        "KubeletReady",
                        "kubelet is posting ready status");
                if (!lastRuntimeError.isEmpty()) {
                  LOG.info("container runtime is reachable again");
                }
                lastRuntimeError = "";
              } else {
                String msg = "container runtime is down: " + ar.cause().getMessage();
                if (!msg.equals(lastRuntimeError)) {
                  LOG.warning(msg);
                }
                lastRuntimeError = msg;
                ready =
                    new NodeCondition(
                        NodeCondition.READY, "False", now, now, "KubeletNotReady", msg);
              }
              if (previous != null) {
                NodeCondition before = previous.condition(NodeCondition.READY).orElse(null);
                if (before != null
                    && ready.status().equals(before.status())
                    && before.lastTransitionTime() != null) {
                  ready =
                      new NodeCondition(
                          ready.type(),
                          ready.status(),
                          now,
                          before.lastTransitionTime(),
                          ready.reason(),
                          ready.message());
                }
                if (runtimeVersion.isEmpty() && previous.nodeInfo() != null) {
                  runtimeVersion = previous.nodeInfo().containerRuntimeVersion();
                }
              }
              Map<String, String> capacity =
                  Map.of(
                      "cpu",
                      Integer.toString(info.cpus()),
                      "memory",
                      info.memoryKi() + "Ki",
                      "pods",
                      Integer.toString(NodeInfo.MAX_PODS));
              NodeStatus.NodeSystemInfo sys =
                  new NodeStatus.NodeSystemInfo(
                      "",
                      "",
                      "",
                      info.kernelVersion(),
                      "kubehop",
                      runtimeVersion,
                      VersionInfo.get().gitVersion(),
                      "",
                      info.os(),
                      info.arch());
              return Future.succeededFuture(
                  new NodeStatus(
                      capacity,
                      capacity,
                      List.of(ready),
                      List.of(
                          new NodeAddress(NodeAddress.INTERNAL_IP, config.nodeIp()),
                          new NodeAddress(NodeAddress.HOSTNAME, config.nodeName())),
                      new NodeStatus.DaemonEndpoints(new NodeStatus.Endpoint(kubeletPort)),
                      sys));
            });
  }
}
