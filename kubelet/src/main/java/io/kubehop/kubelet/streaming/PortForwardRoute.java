package io.kubehop.kubelet.streaming;

import io.kubehop.kubelet.pod.PodManager;
import io.kubehop.kubelet.pod.PodRecord;
import io.kubehop.kubelet.server.KubeletRoute;
import io.kubehop.kubelet.server.Responses;
import io.kubehop.streaming.portforward.Ports;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.proxy.UpgradeAwareProxy;
import io.kubehop.streaming.transport.PostUpgrades;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * {@code GET|POST /portForward/{ns}/{pod}[/{uid}]} (upstream's {@code getPortForward}): the pod's sandbox → CRI
 * {@code PortForward} → the runtime's URL, handed to the {@link StreamForwarder} like exec. Over SPDY the ports come
 * later, in stream headers; a WebSocket port-forward names them in {@code port} (repeated or comma-separated), which
 * go to the runtime in the CRI request.
 */
public final class PortForwardRoute implements KubeletRoute {

  private static final Logger LOG = Logger.getLogger(PortForwardRoute.class.getName());

  private final PodManager pods;
  private final StreamingRuntime runtime;
  private final StreamForwarder forwarder;

  public PortForwardRoute(PodManager pods, StreamingRuntime runtime, StreamForwarder forwarder) {
    this.pods = pods;
    this.runtime = runtime;
    this.forwarder = forwarder;
  }

  @Override
  public void handle(HttpServerRequest req, List<String> segments) {
    String method = PostUpgrades.method(req);
    if (!method.equals("GET") && !method.equals("POST")) {
      req.response().putHeader("Allow", "GET, POST");
      Responses.text(req, 405, "405: Method Not Allowed");
      return;
    }
    if (segments.size() != 2 && segments.size() != 3) {
      Responses.text(req, 404, "404 page not found\n");
      return;
    }
    // Only a WebSocket port-forward names its ports (NewV4Options); over SPDY they come in stream headers.
    List<String> portValues = StreamQuery.decode(req.query()).getOrDefault("port", List.of());
    List<Integer> ports;
    try {
      ports = portValues.isEmpty() ? List.of() : Ports.fromQuery(portValues);
    } catch (Ports.InvalidPortException e) {
      Responses.text(req, 400, e.getMessage());
      return;
    }
    Optional<PodRecord> pod = pods.find(segments.get(0), segments.get(1));
    if (pod.isEmpty()) {
      Responses.text(req, 404, "pod does not exist");
      return;
    }
    if (segments.size() == 3 && !segments.get(2).equals(pod.get().uid())) {
      Responses.text(req, 404, "pod not found");
      return;
    }
    String sandbox = pod.get().sandboxId();
    String describe = "portForward " + segments.get(0) + "/" + segments.get(1);
    String session = UpgradeAwareProxy.sessionId(req);
    req.headers().set(StreamHeaders.SESSION, session);
    if (sandbox == null) {
      Responses.text(req, 500, "pod " + segments.get(1) + "_" + segments.get(0) + " has no sandbox yet");
      return;
    }
    req.pause(); // unread while CRI answers; the proxy keeps it paused until it takes the connection over
    runtime.portForward(sandbox, ports).onComplete(ar -> {
      if (ar.failed()) {
        req.resume();
        LOG.info("session " + session + " " + describe + " refused: " + ar.cause().getMessage());
        StreamErrors.write(req, ar.cause());
        return;
      }
      // the runtime serves a WebSocket port-forward with the ports of the CRI request, as upstream's CRI server does
      forwarder.forward(req, new StreamTarget(session, "portForward", segments.get(0) + "/" + segments.get(1), null,
          ar.result(), null));
    });
  }
}
