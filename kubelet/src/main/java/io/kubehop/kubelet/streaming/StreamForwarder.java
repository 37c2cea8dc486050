package io.kubehop.kubelet.streaming;

import io.kubehop.streaming.proxy.HopSession;
import io.kubehop.streaming.transport.UpgradedConnections;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

/**
 * What the kubelet does with a streaming request once the runtime has named its URL (upstream's
 * {@code proxyStream}, or the pre-1.20 redirect): {@link ProxyForwarder} (KEP-1558, the default) or
 * {@link RedirectForwarder} ({@code --redirect-container-streaming}).
 *
 * <p>This is the seam for the WebSocket translator: a decorator that serves {@code
 * v5.channel.k8s.io} WebSocket requests itself (dialling {@link StreamTarget#url()} with SPDY) and
 * hands everything else to the forwarder it wraps, as upstream's {@code translatinghandler.go}
 * does.
 */
@FunctionalInterface
public interface StreamForwarder {

  /** Answers {@code request}; errors are answered too (plain text), never thrown. */
  void forward(HttpServerRequest request, StreamTarget target);

  /**
   * What a forwarder that serves the session itself (the proxy, the translator, the tunnel) does
   * with its hop: once it opens, exempts the upgraded connection from the server's idle timeout and
   * logs it opened, then closed ({@link SessionLog}); if it fails, logs that (the hop has answered
   * the request already).
   */
  static void follow(HttpServerRequest request, StreamTarget target, Future<HopSession> hop) {
    hop.onSuccess(
            h -> {
              UpgradedConnections.disableIdleTimeout(request.connection());
              SessionLog.opened(target, h);
            })
        .onFailure(e -> SessionLog.failed(target, e));
  }
}
