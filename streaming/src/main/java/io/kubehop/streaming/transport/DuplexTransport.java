package io.kubehop.streaming.transport;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * A bidirectional byte stream that a SPDY session runs over: a TCP {@link NetSocket} after an HTTP
 * upgrade, or (later) the binary messages of a WebSocket tunnel. Pausing the read side must stop
 * reading from the network, which is how TCP back-pressure reaches the peer; the write side reports
 * {@link #writeQueueFull()} from the network.
 */
public interface DuplexTransport extends ReadStream<Buffer>, WriteStream<Buffer> {

  @Override
  DuplexTransport exceptionHandler(Handler<Throwable> handler);

  /** Closes both directions (after flushing queued writes, where the transport can). */
  Future<Void> close();

  /**
   * Whether two writes cost no more than one write of both: true for a socket (writes queued
   * together leave in one gathering write), false for a WebSocket (each write is one message).
   */
  default boolean coalescesWrites() {
    return true;
  }

  /** Called once when the transport is closed, by either side. */
  DuplexTransport closeHandler(Handler<Void> handler);

  /** The local address of the underlying connection, or null when there is none. */
  /** The meter of the socket under this transport, when it is a socket ({@link SocketMeter}). */
  default java.util.Optional<SocketMeter.Reading> meter() {
    return java.util.Optional.empty();
  }

  default SocketAddress localAddress() {
    return null;
  }

  /** The peer address of the underlying connection, or null when there is none. */
  default SocketAddress remoteAddress() {
    return null;
  }

  /** A transport over {@code socket}. */
  static DuplexTransport of(NetSocket socket) {
    return new NetSocketTransport(socket);
  }
}
