package io.kubehop.kubelet.streaming;

import io.kubehop.streaming.proxy.ErrorResponder;
import io.kubehop.streaming.proxy.HopRegistry;
import io.kubehop.streaming.proxy.UpgradeAwareProxy;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetClient;

/**
 * Proxies a stream to the runtime (KEP-1558, upstream's {@code proxyStream}): one new TCP
 * connection to the runtime's streaming port per request, never pooled, spliced with the connection
 * from the apiserver. While the session lasts the kubelet holds exactly those two sockets; both are
 * in the {@link HopRegistry}.
 */
public final class ProxyForwarder implements StreamForwarder {

  /**
   * The kubelet's {@code responder}: every proxy failure is {@code http.Error(w, err.Error(),
   * 500)}, even {@code Upgrade request required} (a 400 at the apiserver).
   */
  static final ErrorResponder KUBELET_RESPONDER =
      (request, code, message) -> ErrorResponder.plainText().error(request, 500, message);

  private final NetClient client;
  private final HopRegistry registry;

  public ProxyForwarder(Vertx vertx, HopRegistry registry) {
    this.client = vertx.createNetClient(); // dials only: every session gets a connection of its own
    this.registry = registry;
  }

  @Override
  public void forward(HttpServerRequest request, StreamTarget target) {
    StreamForwarder.follow(
        request,
        target,
        new UpgradeAwareProxy(
                client, KUBELET_RESPONDER, UpgradeAwareProxy.RedirectPolicy.NEVER, registry)
            .proxy(request, target.url()));
  }
}
