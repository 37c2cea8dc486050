package io.kubehop.kubelet.server;

import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/** {@code GET /healthz}: {@code ok}. */
public final class HealthzRoute implements KubeletRoute {
  @Override
  public void handle(HttpServerRequest req, List<String> segments) {
    req.response().putHeader("Content-Type", "text/plain; charset=utf-8").end("ok");
  }
}
