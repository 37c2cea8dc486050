package io.kubehop.kubelet.server;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/** Plain-text answers, as the kubelet's go-restful handlers write their errors. */
public final class Responses {

  private Responses() {
    throw new AssertionError("No instances.");
  }

  public static void text(HttpServerRequest req, int status, String body) {
    if (req.response().ended() || req.response().closed()) {
      return;
    }
    req.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .end(body);
  }

  /** Answers 405 unless the request is a GET; returns whether it was a GET. */
  public static boolean requireGet(HttpServerRequest req) {
    if (req.method() == HttpMethod.GET) {
      return true;
    }
    req.response().putHeader("Allow", "GET");
    text(req, 405, "405: Method Not Allowed");
    return false;
  }
}
