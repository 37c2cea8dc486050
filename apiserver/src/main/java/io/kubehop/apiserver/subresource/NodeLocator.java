package io.kubehop.apiserver.subresource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.meta.StatusException;
import io.kubehop.apiserver.storage.Store;
import io.kubehop.apiserver.storage.StoreException;
import io.kubehop.apiserver.storage.StoreKey;
import io.kubehop.streaming.proxy.WebSocketTranslation;
import io.vertx.core.Future;
import java.util.List;

/**
 * Where a pod's kubelet listens: the node's InternalIP (then Hostname, as upstream's default {@code
 * --kubelet-preferred-address-types} order) and {@code
 * status.daemonEndpoints.kubeletEndpoint.Port}, falling back to 10250 — docs/design.md, apiserver →
 * kubelet. Also resolves a pod's container the way upstream does.
 */
public final class NodeLocator {

  /**
   * A kubelet address, and whether the kubelet translates WebSocket streams itself (it lists {@code
   * websocket} in the node annotation {@link WebSocketTranslation#NODE_ANNOTATION}).
   */
  public record KubeletAddress(String host, int port, boolean webSockets, boolean tls) {

    public KubeletAddress(String host, int port) {
      this(host, port, false, false);
    }

    /** {@code https://host:port} or {@code http://host:port}, for a path to be appended. */
    public String origin() {
      return (tls ? "https://" : "http://") + host + ":" + port;
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  public static final int DEFAULT_KUBELET_PORT = 10250;

  private final Store store;
  private final boolean tls;

  public NodeLocator(Store store) {
    this(store, false);
  }

  /** With {@code tls}, kubelets are dialled over HTTPS (the apiserver has a kubelet client TLS). */
  public NodeLocator(Store store, boolean tls) {
    this.store = store;
    this.tls = tls;
  }

  public Future<KubeletAddress> locate(String nodeName) {
    return store
        .get(new StoreKey("nodes", "", nodeName))
        .recover(
            t ->
                Future.failedFuture(
                    t instanceof StoreException.NotFound
                        ? StatusException.notFound("nodes", nodeName)
                        : t))
        .map(
            node -> {
              String host = address(node, "InternalIP");
              if (host == null) {
                host = address(node, "Hostname");
              }
              if (host == null) {
                throw StatusException.badRequest("node " + nodeName + " has no address");
              }
              int port =
                  node.path("status")
                      .path("daemonEndpoints")
                      .path("kubeletEndpoint")
                      .path("Port")
                      .asInt(0);
              boolean webSockets =
                  WebSocketTranslation.listsWebSocket(
                      node.path("metadata")
                          .path("annotations")
                          .path(WebSocketTranslation.NODE_ANNOTATION)
                          .asText(null));
              return new KubeletAddress(
                  host, port > 0 ? port : DEFAULT_KUBELET_PORT, webSockets, tls);
            });
  }

  /** Whether the node's Ready condition is True (a missing node or condition is not ready). */
  public Future<Boolean> ready(String nodeName) {
    return store
        .get(new StoreKey("nodes", "", nodeName))
        .map(
            node -> {
              for (JsonNode c : node.path("status").path("conditions")) {
                if ("Ready".equals(c.path("type").asText())) {
                  return "True".equals(c.path("status").asText());
                }
              }
              return false;
            })
        .otherwise(false);
  }

  private static String address(ObjectNode node, String type) {
    for (JsonNode a : node.path("status").path("addresses")) {
      if (a.path("type").asText().equals(type) && !a.path("address").asText("").isEmpty()) {
        return a.path("address").asText();
      }
    }
    return null;
  }

  /**
   * The container a request means: the one named, or the only one; else upstream's 400 messages
   * ({@code pkg/registry/core/pod/strategy.go}).
   */
  public static String resolveContainer(ObjectNode pod, String requested) {
    String name = pod.path("metadata").path("name").asText();
    JsonNode spec = pod.path("spec");
    if (requested == null || requested.isEmpty()) {
      JsonNode containers = spec.path("containers");
      if (containers.size() == 1) {
        return containers.get(0).path("name").asText();
      }
      if (containers.isEmpty()) {
        throw StatusException.badRequest("a container name must be specified for pod " + name);
      }
      String msg =
          "a container name must be specified for pod "
              + name
              + ", choose one of: "
              + names(containers);
      if (!spec.path("initContainers").isEmpty()) {
        msg += " or one of the init containers: " + names(spec.path("initContainers"));
      }
      throw StatusException.badRequest(msg);
    }
    for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
      for (JsonNode c : spec.path(list)) {
        if (c.path("name").asText().equals(requested)) {
          return requested;
        }
      }
    }
    throw StatusException.badRequest("container " + requested + " is not valid for pod " + name);
  }

  /** Go's {@code %v} of a string slice: {@code [a b]}. */
  private static String names(JsonNode containers) {
    StringBuilder sb = new StringBuilder("[");
    for (JsonNode c : containers) {
      sb.append(sb.length() > 1 ? " " : "").append(c.path("name").asText());
    }
    return sb.append(']').toString();
  }
}
