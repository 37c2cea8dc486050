package io.kubehop.apiserver.subresource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.meta.StatusException;
import io.kubehop.apiserver.http.ApiRequest;
import io.kubehop.apiserver.storage.Store;
import io.kubehop.apiserver.subresource.UpgradeSubresources.Target;
import io.kubehop.streaming.proxy.HopRegistry;
import io.kubehop.streaming.proxy.HopSession;
import io.kubehop.streaming.proxy.Peer;
import io.kubehop.streaming.proxy.SessionSubject;
import io.kubehop.streaming.proxy.TunnelingHandler;
import io.kubehop.streaming.proxy.UpgradeAwareProxy;
import io.kubehop.streaming.proxy.WebSocketTranslation;
import io.vertx.core.Future;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET|POST …/pods/{name}/portforward}: pod → node → {@code
 * http://<node>:<port>/portForward/{ns}/{name}}.
 *
 * <ul>
 *   <li>SPDY ({@code portforward.k8s.io}, kubectl 1.27–1.30, and the fallback of 1.31+) and the
 *       WebSocket channel form ({@code v4.channel.k8s.io}, the Python client; its {@code ports}
 *       become the kubelet's {@code port}) are proxied as they come;
 *   <li>SPDY tunnelled in WebSocket ({@code SPDY/3.1+portforward.k8s.io}, kubectl 1.31+) is
 *       unwrapped here into SPDY toward the kubelet ({@link TunnelingHandler}) in the {@code
 *       apiserver} translation mode, passed through to a kubelet that unwraps it itself in the
 *       {@code kubelet} mode, and refused in the {@code off} mode (before 1.31's
 *       PortForwardWebsockets), so that kubectl falls back to SPDY.
 * </ul>
 */
public final class PortForwardSubresource implements SubresourceHandler {

  private final Store store;
  private final NodeLocator nodes;
  private final UpgradeAwareProxy proxy;
  private final TunnelingHandler tunnels;
  private final WebSocketTranslation translation;
  private final HopRegistry hops;

  public PortForwardSubresource(
      Store store,
      NodeLocator nodes,
      UpgradeAwareProxy proxy,
      TunnelingHandler tunnels,
      WebSocketTranslation translation,
      HopRegistry hops) {
    this.hops = hops;
    this.store = store;
    this.nodes = nodes;
    this.proxy = proxy;
    this.tunnels = tunnels;
    this.translation = translation;
  }

  @Override
  public void handle(ApiRequest req) {
    UpgradeSubresources.requireGetOrPost(req);
    boolean tunnel = TunnelingHandler.isWebSocketRequestWithTunnelingProtocol(req.http().headers());
    if (tunnel && translation == WebSocketTranslation.OFF) {
      // any answer but 101 makes kubectl fall back to plain SPDY
      throw StatusException.badRequest(
          "unable to upgrade: port-forward over WebSocket (SPDY/3.1+portforward.k8s.io)"
              + " is turned off on this apiserver (--websocket-translation=off); use SPDY");
    }
    String query = kubeletQuery(req);
    UpgradeSubresources.serve(
        req,
        store,
        hops,
        "portforward",
        pod -> locate(req, pod, query),
        target -> route(req, target, tunnel));
  }

  private Future<HopSession> route(ApiRequest req, Target target, boolean tunnel) {
    if (tunnel && !(translation == WebSocketTranslation.KUBELET && target.kubeletTranslates())) {
      return tunnels.tunnel(req.http(), target.location());
    }
    return proxy.proxy(req.http(), target.location());
  }

  private Future<Target> locate(ApiRequest req, ObjectNode pod, String query) {
    String phase = pod.path("status").path("phase").asText("");
    if (!phase.equals("Running")) {
      throw StatusException.badRequest(
          "pod "
              + req.name()
              + " is not running (phase "
              + (phase.isEmpty() ? "unknown" : phase)
              + "), so it cannot forward ports");
    }
    String node = pod.path("spec").path("nodeName").asText("");
    return UpgradeSubresources.readyKubelet(nodes, pod, req.name(), "forward ports of")
        .map(
            kubelet ->
                new Target(
                    URI.create(
                        kubelet.origin()
                            + "/portForward/"
                            + req.namespace()
                            + "/"
                            + req.name()
                            + query),
                    kubelet.webSockets(),
                    new SessionSubject(
                        "portforward",
                        req.namespace() + "/" + req.name(),
                        null,
                        new Peer("kubelet", node, kubelet.toString()))));
  }

  /** {@code ports=80,443} (repeatable) becomes the kubelet's {@code port=80&port=443}. */
  static String kubeletQuery(ApiRequest req) {
    List<String> ports = new ArrayList<>();
    for (String value : req.query().getAll("ports")) {
      for (String p : value.split(",")) {
        if (!p.isBlank()) {
          ports.add(p.trim());
        }
      }
    }
    StringBuilder q = new StringBuilder();
    ports.forEach(
        p ->
            q.append(q.length() == 0 ? '?' : '&')
                .append("port=")
                .append(URLEncoder.encode(p, StandardCharsets.UTF_8)));
    return q.toString();
  }
}
