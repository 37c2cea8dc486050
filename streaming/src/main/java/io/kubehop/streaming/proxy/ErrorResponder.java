package io.kubehop.streaming.proxy;

import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.Status;
import io.vertx.core.http.HttpServerRequest;

/**
 * How a tier reports a proxy failure that happened before the client connection was taken over. The
 * apiserver answers with a Kubernetes Status, the kubelet with plain text, as upstream's responders
 * do.
 */
@FunctionalInterface
public interface ErrorResponder {

  void error(HttpServerRequest request, int statusCode, String message);

  /**
   * The apiserver's way: a {@code metav1.Status} with no reason for 500s ({@code
   * ErrorToAPIStatus}).
   */
  static ErrorResponder status() {
    return (request, code, message) -> {
      String reason =
          switch (code) {
            case 400 -> "BadRequest";
            case 404 -> "NotFound";
            case 403 -> "Forbidden";
            case 503 -> "ServiceUnavailable";
            default -> null;
          };
      if (!request.response().ended()) {
        request
            .response()
            .setStatusCode(code)
            .putHeader("Content-Type", "application/json")
            .end(ApiJson.write(Status.failure(code, reason, message, null)));
      }
    };
  }

  /** The kubelet's way: {@code http.Error}, a text/plain body ending in a newline. */
  static ErrorResponder plainText() {
    return (request, code, message) -> {
      if (!request.response().ended()) {
        request
            .response()
            .setStatusCode(code)
            .putHeader("Content-Type", "text/plain; charset=utf-8")
            .putHeader("X-Content-Type-Options", "nosniff")
            .end(message + "\n");
      }
    };
  }
}
