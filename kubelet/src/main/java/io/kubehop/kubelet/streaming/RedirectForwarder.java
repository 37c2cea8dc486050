package io.kubehop.kubelet.streaming;

import io.vertx.core.http.HttpServerRequest;

/**
 * The pre-1.20 mode ({@code --redirect-container-streaming}): answer {@code 302 Found} with the
 * runtime URL as {@code Location} and let the caller (the apiserver) dial the runtime itself; the
 * kubelet keeps no socket of the session, so it closes the connection right after the answer.
 */
public final class RedirectForwarder implements StreamForwarder {

  @Override
  public void forward(HttpServerRequest request, StreamTarget target) {
    SessionLog.redirected(target);
    request
        .response()
        .setStatusCode(302)
        .putHeader("Location", target.url().toString())
        .putHeader("Connection", "close")
        .end()
        .onComplete(ar -> request.connection().close());
  }
}
