package io.kubehop.streaming.transport;

import io.vertx.core.http.HttpConnection;

/**
 * Exempts an upgraded (hijacked) connection from the server's idle timeout.
 *
 * <p>Why: the kubelet server closes keep-alive connections idle for 90 s (upstream's {@code
 * IdleTimeout}), but Go's idle timeout never applies to a hijacked connection, while Vert.x keeps
 * its {@code idle} handler in the pipeline after {@code toNetSocket()}: a quiet exec session (a
 * shell nobody types in, a client that does not ping) would be cut after 90 s. The pipeline comes
 * from {@link VertxInternals}; the kubelet's {@code IdleTimeoutTest} covers it.
 */
public final class UpgradedConnections {

  /** The name Vert.x gives its idle-state handler in the pipeline. */
  private static final String IDLE_HANDLER = "idle";

  private UpgradedConnections() {
    throw new AssertionError("No instances.");
  }

  /**
   * Removes the idle timeout of {@code connection}, which must already be upgraded; a no-op if
   * there is none.
   */
  public static void disableIdleTimeout(HttpConnection connection) {
    VertxInternals.pipeline(connection)
        .ifPresent(
            pipeline -> {
              if (pipeline.get(IDLE_HANDLER) != null) {
                pipeline.remove(IDLE_HANDLER);
              }
            });
  }
}
