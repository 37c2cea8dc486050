package io.kubehop.kubelet.streaming;

import io.kubehop.kubelet.cri.CriException;
import io.kubehop.kubelet.server.Responses;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.GrpcStatus;

/**
 * Answers a failed stream lookup as upstream's {@code streaming.WriteError} does: gRPC NotFound →
 * 404, ResourceExhausted (the runtime's in-flight limit) → 429 with {@code Retry-After: 60} (the
 * token cache TTL), anything else → 500; the body is the error's text, e.g. {@code rpc error: code
 * = NotFound desc = …}.
 */
public final class StreamErrors {

  /** Seconds a client should wait after a 429: the runtime's token cache TTL. */
  static final int RETRY_AFTER_SECONDS = 60;

  private StreamErrors() {
    throw new AssertionError("No instances.");
  }

  public static void write(HttpServerRequest req, Throwable error) {
    GrpcStatus status = error instanceof CriException cri ? cri.status() : GrpcStatus.UNKNOWN;
    int code =
        switch (status) {
          case NOT_FOUND -> 404;
          case RESOURCE_EXHAUSTED -> 429;
          default -> 500;
        };
    if (code == 429) {
      req.response().putHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
    }
    String message =
        error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    Responses.text(req, code, message);
  }
}
