package io.kubehop.kubelet.streaming;

import io.kubehop.kubelet.pod.PodManager;
import io.kubehop.kubelet.pod.PodRecord;
import io.kubehop.kubelet.server.Responses;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.proxy.UpgradeAwareProxy;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.transport.PostUpgrades;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the upgrading kubelet routes ({@code exec}, {@code attach}, {@code portForward}) share, as
 * the apiserver's {@code UpgradeSubresources} does for its subresources: GET or POST only, the pod
 * of the path, the session id pinned on the request, and the request kept unread while CRI names
 * the stream URL, then handed to the {@link StreamForwarder}, or the CRI failure answered as {@link
 * StreamErrors}.
 */
final class UpgradeRoutes {

  private UpgradeRoutes() {
    throw new AssertionError("No instances.");
  }

  /**
   * What a route asks the runtime to stream, before CRI names the URL.
   *
   * @param verb {@code exec}, {@code attach} or {@code portForward}
   * @param pod {@code namespace/name}
   * @param container the container, or {@code null} for port-forward
   * @param options the streams asked for, or {@code null} for port-forward
   */
  record Request(String verb, String pod, String container, StreamOptions options) {

    /** {@code exec default/demo/main}, as {@link StreamTarget#describe()} will say. */
    String describe() {
      return StreamTarget.describe(verb, pod, container);
    }

    StreamTarget target(String session, URI url) {
      return new StreamTarget(session, verb, pod, container, url, options);
    }
  }

  /**
   * Answers 405 unless the request is a GET or a POST (kubectl's SPDY POST arrives rewritten to
   * GET: {@link PostUpgrades#method}); returns whether the route may go on.
   */
  static boolean requireGetOrPost(HttpServerRequest req) {
    String method = PostUpgrades.method(req);
    if (method.equals("GET") || method.equals("POST")) {
      return true;
    }
    req.response().putHeader("Allow", "GET, POST");
    Responses.text(req, 405, "405: Method Not Allowed");
    return false;
  }

  /**
   * The pod of the path, or empty once answered: 404 {@code pod does not exist}, or 404 {@code pod
   * not found} when a UID-qualified path ({@code uid} not null) names another pod of that name.
   * That is upstream's {@code getPortForward} check and text; kubehop applies it to exec and attach
   * too, so that a UID-qualified path never reaches a successor pod of the same name.
   */
  static Optional<PodRecord> findPod(
      HttpServerRequest req, PodManager pods, String namespace, String name, String uid) {
    Optional<PodRecord> pod = pods.find(namespace, name);
    if (pod.isEmpty()) {
      Responses.text(req, 404, "pod does not exist");
      return Optional.empty();
    }
    if (uid != null && !uid.equals(pod.get().uid())) {
      Responses.text(req, 404, "pod not found");
      return Optional.empty();
    }
    return pod;
  }

  /**
   * Pins the session id on the request, so that the proxy forwards this same one to the runtime;
   * keeps the request unread while {@code streamUrl} asks CRI (the proxy keeps it paused until it
   * takes the connection over); then hands it to {@code forwarder}, or logs the refusal and answers
   * it as {@link StreamErrors#write} does.
   */
  static void serve(
      HttpServerRequest req,
      StreamForwarder forwarder,
      Request request,
      Supplier<Future<URI>> streamUrl) {
    String session = UpgradeAwareProxy.sessionId(req);
    req.headers().set(StreamHeaders.SESSION, session);
    req.pause();
    streamUrl
        .get()
        .onComplete(
            ar -> {
              if (ar.failed()) {
                req.resume();
                SessionLog.refused(session, request.describe(), ar.cause());
                StreamErrors.write(req, ar.cause());
                return;
              }
              forwarder.forward(req, request.target(session, ar.result()));
            });
  }
}
