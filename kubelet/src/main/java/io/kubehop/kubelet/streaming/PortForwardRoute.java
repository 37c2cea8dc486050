package io.kubehop.kubelet.streaming;

import io.kubehop.kubelet.pod.PodManager;
import io.kubehop.kubelet.pod.PodRecord;
import io.kubehop.kubelet.server.KubeletRoute;
import io.kubehop.kubelet.server.Responses;
import io.kubehop.streaming.portforward.Ports;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET|POST /portForward/{ns}/{pod}[/{uid}]} (upstream's {@code getPortForward}): the pod's
 * sandbox → CRI {@code PortForward} → the runtime's URL, handed to the {@link StreamForwarder} like
 * exec. Over SPDY the ports come later, in stream headers; a WebSocket port-forward names them in
 * {@code port} (repeated or comma-separated), which go to the runtime in the CRI request.
 */
public final class PortForwardRoute implements KubeletRoute {

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
    if (!UpgradeRoutes.requireGetOrPost(req)) {
      return;
    }
    if (segments.size() != 2 && segments.size() != 3) {
      Responses.text(req, 404, "404 page not found\n");
      return;
    }
    // Only a WebSocket port-forward names its ports (NewV4Options); over SPDY they come in stream
    // headers.
    List<String> portValues = StreamQuery.decode(req.query()).getOrDefault("port", List.of());
    List<Integer> ports;
    try {
      ports = portValues.isEmpty() ? List.of() : Ports.fromQuery(portValues);
    } catch (Ports.InvalidPortException e) {
      Responses.text(req, 400, e.getMessage());
      return;
    }
    String namespace = segments.get(0);
    String name = segments.get(1);
    Optional<PodRecord> pod =
        UpgradeRoutes.findPod(
            req, pods, namespace, name, segments.size() == 3 ? segments.get(2) : null);
    if (pod.isEmpty()) {
      return;
    }
    String sandbox = pod.get().sandboxId();
    // the runtime serves a WebSocket port-forward with the ports of the CRI request, as upstream's
    // CRI server does
    UpgradeRoutes.serve(
        req,
        forwarder,
        new UpgradeRoutes.Request("portForward", namespace + "/" + name, null, null),
        () ->
            sandbox == null
                ? Future.failedFuture(
                    new IllegalStateException(
                        "pod " + name + "_" + namespace + " has no sandbox yet"))
                : runtime.portForward(sandbox, ports));
  }
}
