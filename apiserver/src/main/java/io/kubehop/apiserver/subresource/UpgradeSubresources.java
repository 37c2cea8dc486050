package io.kubehop.apiserver.subresource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.meta.Status;
import io.kubehop.api.meta.StatusException;
import io.kubehop.apiserver.http.ApiRequest;
import io.kubehop.apiserver.http.Responses;
import io.kubehop.apiserver.storage.Store;
import io.kubehop.apiserver.storage.StoreKey;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.proxy.HopRegistry;
import io.kubehop.streaming.proxy.HopSession;
import io.kubehop.streaming.proxy.SessionSubject;
import io.kubehop.streaming.transport.PostUpgrades;
import io.vertx.core.Future;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * What the upgrading subresources (exec, attach, portforward) share: GET or POST only, pod → its
 * Ready kubelet, the request kept unread until the hop takes the connection over, one log line when
 * the hop opens and one when it closes, errors as Status.
 */
final class UpgradeSubresources {

  private static final Logger LOG = Logger.getLogger(UpgradeSubresources.class.getName());

  private UpgradeSubresources() {
    throw new AssertionError("No instances.");
  }

  /**
   * Where a stream goes: the kubelet URL, whether that kubelet translates WebSocket streams itself,
   * and what the session is about (pod, container, the kubelet by node name and address).
   */
  record Target(URI location, boolean kubeletTranslates, SessionSubject subject) {}

  /**
   * 405 unless GET or POST (kubectl's SPDY POST arrives rewritten to GET: {@link
   * PostUpgrades#method}).
   */
  static void requireGetOrPost(ApiRequest req) {
    String method = PostUpgrades.method(req.http());
    if (!method.equals("GET") && !method.equals("POST")) {
      throw StatusException.methodNotAllowed();
    }
  }

  /**
   * Looks up the pod, finds where its stream goes ({@code locate}), claims the session id (the
   * client's {@code X-Kubehop-Session} if well-formed and unused, else a new one, pinned on the
   * request for the hop to forward and echo), and hands the request to {@code route}; {@code kind}
   * names the session in the log ({@code exec session <id> ns/pod (splice …) -> url via a->b}).
   */
  static void serve(
      ApiRequest req,
      Store store,
      HopRegistry hops,
      String kind,
      Function<ObjectNode, Future<Target>> locate,
      Function<Target, Future<HopSession>> route) {
    req.http().pause();
    store
        .get(new StoreKey("pods", req.namespace(), req.name()))
        .recover(t -> Future.failedFuture(Responses.translate(t, "pods", req.name())))
        .compose(locate)
        .onSuccess(
            target -> {
              String id = hops.claim(req.http().getHeader(StreamHeaders.SESSION), target.subject());
              req.http().headers().set(StreamHeaders.SESSION, id);
              route
                  .apply(target)
                  .onFailure(e -> hops.release(id))
                  .onSuccess(
                      hop -> {
                        LOG.info(
                            kind
                                + " session "
                                + hop.id()
                                + " "
                                + req.namespace()
                                + "/"
                                + req.name()
                                + " ("
                                + hop.describe()
                                + ") -> "
                                + target.location()
                                + " via "
                                + hop.upstreamLocal()
                                + "->"
                                + hop.upstreamRemote());
                        hop.closeFuture()
                            .onComplete(
                                v ->
                                    LOG.info(
                                        kind
                                            + " session "
                                            + hop.id()
                                            + " closed after "
                                            + Duration.between(hop.opened(), Instant.now())
                                                .toMillis()
                                            + " ms: "
                                            + hop.bytesUp()
                                            + " bytes up, "
                                            + hop.bytesDown()
                                            + " bytes down"
                                            + hop.ended()
                                                .map(
                                                    e ->
                                                        ", "
                                                            + e.first()
                                                                .name()
                                                                .toLowerCase(Locale.ROOT)
                                                            + " ended first ("
                                                            + e.how()
                                                                .name()
                                                                .toLowerCase(Locale.ROOT)
                                                            + ")")
                                                .orElse("")));
                      });
            })
        .onFailure(t -> Responses.failure(req.http().response(), t));
  }

  /**
   * The kubelet of the pod's node, if that node is Ready: 400 when the pod has no node yet, 503
   * (with {@code action}, e.g. {@code exec into}) when the node stopped posting status.
   */
  static Future<NodeLocator.KubeletAddress> readyKubelet(
      NodeLocator nodes, ObjectNode pod, String podName, String action) {
    String node = pod.path("spec").path("nodeName").asText("");
    if (node.isEmpty()) {
      return Future.failedFuture(
          StatusException.badRequest("pod " + podName + " does not have a host assigned"));
    }
    return nodes
        .locate(node)
        .compose(
            kubelet ->
                nodes
                    .ready(node)
                    .map(
                        ready -> {
                          if (!ready) {
                            throw new StatusException(
                                Status.failure(
                                    503,
                                    "ServiceUnavailable",
                                    "node "
                                        + node
                                        + " is not ready (its "
                                        + "kubelet stopped posting status); cannot "
                                        + action
                                        + " pod "
                                        + podName,
                                    null));
                          }
                          return kubelet;
                        }));
  }
}
