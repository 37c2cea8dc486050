package io.kubehop.streaming.proxy;

import io.kubehop.streaming.remotecommand.StreamOptions;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;

/**
 * apiserver's {@code translatingHandler}: a WebSocket upgrade offering {@code v5.channel.k8s.io}
 * goes to the {@link StreamTranslator}; everything else (SPDY, WebSocket v4 or base64, …) to the
 * {@link UpgradeAwareProxy} unchanged.
 */
public final class TranslatingHandler {

  private final StreamTranslator translator;
  private final UpgradeAwareProxy delegate;

  public TranslatingHandler(StreamTranslator translator, UpgradeAwareProxy delegate) {
    this.translator = translator;
    this.delegate = delegate;
  }

  /** Serves an exec/attach upgrade toward {@code location}, the next hop's URL (with its query). */
  public Future<HopSession> handle(HttpServerRequest req, URI location, StreamOptions options) {
    if (StreamTranslator.isWebSocketRequestWithStreamCloseProtocol(req.headers())) {
      return translator.translate(req, location, options);
    }
    return delegate.proxy(req, location);
  }
}
