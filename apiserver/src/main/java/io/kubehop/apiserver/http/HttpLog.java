package io.kubehop.apiserver.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One line per request when its response ends, like upstream's {@code httplog}: {@code PUT
 * /api/v1/nodes/node-1/status 200}. A change is logged at INFO (one line per change, design.md);
 * routine traffic at FINE, so that a foreground {@code bin/kubehop up} shows what users do rather
 * than what kubelets and watchers poll: reads and watches, and successful writes of a {@code
 * status} subresource (each kubelet's node heartbeat every 10 s, its pod status reports). A failed
 * write, and a read the server failed (5xx), stay at INFO.
 */
final class HttpLog {

  private static final Logger LOG = Logger.getLogger(HttpLog.class.getName());

  private HttpLog() {
    throw new AssertionError("No instances.");
  }

  /**
   * Logs {@code req} once its response has ended (an upgraded or abandoned response may never end).
   */
  static void logWhenAnswered(HttpServerRequest req) {
    req.response()
        .endHandler(
            v -> {
              int status = req.response().getStatusCode();
              LOG.log(
                  level(req.method(), req.path(), status),
                  () -> req.method() + " " + req.uri() + " " + status);
            });
  }

  /**
   * INFO for a change or a failure, FINE for routine traffic (the class comment says which is
   * which).
   */
  static Level level(HttpMethod method, String path, int status) {
    if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
      return status >= 500 ? Level.INFO : Level.FINE;
    }
    boolean statusWrite =
        (method == HttpMethod.PUT || method == HttpMethod.PATCH) && isStatusSubresource(path);
    return statusWrite && status >= 200 && status < 300 ? Level.FINE : Level.INFO;
  }

  /**
   * {@code /api/v1/{resource}/{name}/status}, {@code
   * /api/v1/namespaces/{ns}/{resource}/{name}/status} or a namespace's own {@code
   * /api/v1/namespaces/{ns}/status}; not {@code /api/v1/namespaces/status}, which is the namespace
   * named {@code status}.
   */
  static boolean isStatusSubresource(String path) {
    if (path == null || !path.startsWith("/api/v1/") || !path.endsWith("/status")) {
      return false;
    }
    String[] segments = path.substring("/api/v1/".length()).split("/", -1);
    return segments.length == 3 || (segments.length == 5 && segments[0].equals("namespaces"));
  }
}
