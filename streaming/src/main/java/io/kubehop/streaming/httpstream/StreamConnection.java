package io.kubehop.streaming.httpstream;

import io.vertx.core.Future;
import io.vertx.core.Handler;

/**
 * A multiplexed connection of {@link Stream}s (apimachinery's {@code httpstream.Connection}).
 * Implemented by the SPDY session; the remotecommand and port-forward layers see only this seam.
 */
public interface StreamConnection {

  /** Opens a stream (client role); completes once the peer accepted it. */
  Future<Stream> createStream(HeaderBlock headers);

  /** Receives every stream the peer opens (server role). */
  StreamConnection newStreamHandler(Handler<Stream> handler);

  /** Resets the remaining streams, says goodbye and closes the transport. */
  Future<Void> close();

  /** Completes when the connection is closed, by either side. */
  Future<Void> closeFuture();
}
