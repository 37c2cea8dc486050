package io.kubehop.kubelet.server;

import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * A handler for one kubelet endpoint family, registered under the first path segment (e.g. {@code
 * containerLogs}). The streaming endpoints ({@code exec}, {@code attach}, {@code portForward}) plug
 * in here.
 */
@FunctionalInterface
public interface KubeletRoute {

  /**
   * @param request the request, still unread (a route may upgrade it)
   * @param segments the URL-decoded path segments after the first one
   */
  void handle(HttpServerRequest request, List<String> segments);
}
