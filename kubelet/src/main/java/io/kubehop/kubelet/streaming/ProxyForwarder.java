package io.kubehop.kubelet.streaming;

import io.kubehop.streaming.proxy.ErrorResponder;
import io.kubehop.streaming.proxy.HopRegistry;
import io.kubehop.streaming.proxy.UpgradeAwareProxy;
import io.kubehop.streaming.transport.Liveness;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetClient;
import java.time.Duration;

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
  private final Duration idleTimeout;

  public ProxyForwarder(Vertx vertx, HopRegistry registry) {
    this(vertx, registry, Liveness.UPSTREAM_IDLE_TIMEOUT);
  }

  /**
   * @param idleTimeout how long the spliced hop may carry no byte before both connections close
   *     ({@code --streaming-connection-idle-timeout})
   */
  public ProxyForwarder(Vertx vertx, HopRegistry registry, Duration idleTimeout) {
    this.client = vertx.createNetClient(); // dials only: every session gets a connection of its own
    this.registry = registry;
    this.idleTimeout = idleTimeout;
  }

  @Override
  public void forward(HttpServerRequest request, StreamTarget target) {
    StreamForwarder.follow(
        request,
        target,
        new UpgradeAwareProxy(
                client,
                KUBELET_RESPONDER,
                UpgradeAwareProxy.RedirectPolicy.NEVER,
                registry,
                idleTimeout)
            .proxy(request, target.url()));
  }
}
