package io.kubehop.kubelet.streaming;

import io.kubehop.kubelet.server.UpgradedConnections;
import io.kubehop.streaming.proxy.StreamTranslator;
import io.vertx.core.http.HttpServerRequest;
import java.util.logging.Logger;

/**
 * 1.36's {@code ExtendWebSocketsToKubelet} at the kubelet: a {@code v5.channel.k8s.io} WebSocket exec/attach (passed
 * through by an apiserver in {@code --websocket-translation=kubelet} mode) is served here and re-originated as SPDY
 * toward the runtime's streaming URL; everything else goes to the {@code delegate} (proxy or redirect) unchanged.
 * The runtime leg is SPDY either way.
 */
public final class TranslatingForwarder implements StreamForwarder {

  private static final Logger LOG = Logger.getLogger(TranslatingForwarder.class.getName());

  private final StreamTranslator translator;
  private final StreamForwarder delegate;

  public TranslatingForwarder(StreamTranslator translator, StreamForwarder delegate) {
    this.translator = translator;
    this.delegate = delegate;
  }

  @Override
  public void forward(HttpServerRequest request, StreamTarget target) {
    if (target.options() == null || !StreamTranslator.isWebSocketRequestWithStreamCloseProtocol(request.headers())) {
      delegate.forward(request, target);
      return;
    }
    translator.translate(request, target.url(), target.options())
        .onSuccess(hop -> {
          UpgradedConnections.disableIdleTimeout(request.connection());
          LOG.info("session " + hop.id() + " " + target.describe() + " opened (" + hop.describe() + "): "
              + hop.downstreamRemote() + " -> " + hop.target() + " via " + hop.upstreamLocal());
          hop.closeFuture().onComplete(v -> LOG.info("session " + hop.id() + " " + target.describe() + " closed: "
              + hop.bytesUp() + " bytes up, " + hop.bytesDown() + " bytes down"));
        })
        .onFailure(e -> LOG.info("session " + target.session() + " " + target.describe() + " to " + target.url()
            + " failed: " + e.getMessage()));
  }
}
