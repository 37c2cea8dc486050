package io.kubehop.kubelet.streaming;

import io.kubehop.streaming.proxy.HopSession;
import io.kubehop.streaming.proxy.StreamTranslator;
import io.kubehop.streaming.proxy.TunnelingHandler;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

/**
 * 1.36's {@code ExtendWebSocketsToKubelet} at the kubelet: a {@code v5.channel.k8s.io} WebSocket
 * exec/attach (passed through by an apiserver in {@code --websocket-translation=kubelet} mode) is
 * served here and re-originated as SPDY toward the runtime's streaming URL, and a port-forward
 * tunnel ({@code SPDY/3.1+portforward.k8s.io}) is unwrapped here; everything else goes to the
 * {@code delegate} (proxy or redirect) unchanged. The runtime leg is SPDY.
 */
public final class TranslatingForwarder implements StreamForwarder {

  private final StreamTranslator translator;
  private final TunnelingHandler tunnels;
  private final StreamForwarder delegate;

  public TranslatingForwarder(
      StreamTranslator translator, TunnelingHandler tunnels, StreamForwarder delegate) {
    this.translator = translator;
    this.tunnels = tunnels;
    this.delegate = delegate;
  }

  @Override
  public void forward(HttpServerRequest request, StreamTarget target) {
    Future<HopSession> hop;
    if (target.options() == null
        && TunnelingHandler.isWebSocketRequestWithTunnelingProtocol(request.headers())) {
      hop = tunnels.tunnel(request, target.url());
    } else if (target.options() != null
        && StreamTranslator.isWebSocketRequestWithStreamCloseProtocol(request.headers())) {
      hop = translator.translate(request, target.url(), target.options());
    } else {
      delegate.forward(request, target);
      return;
    }
    StreamForwarder.follow(request, target, hop);
  }
}
