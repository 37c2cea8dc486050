package io.kubehop.streaming.websocket;

import io.kubehop.streaming.httpstream.HeaderBlock;
import io.kubehop.streaming.httpstream.InboundQueue;
import io.kubehop.streaming.httpstream.MultiplexedStream;
import io.kubehop.streaming.httpstream.Stream;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.httpstream.WriteClosedStreamException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * One channel of a {@link ChannelConnection}, as a {@link Stream}. State lives on the connection's
 * context; calls from other threads are moved there, in order.
 *
 * <p>Read side: payloads are queued in an {@link InboundQueue} until the handler has demand; above
 * {@link #HIGH_WATER} queued bytes the connection pauses the WebSocket (there is one read side for
 * all channels, as in upstream's single reader), and resumes it once every channel drained. Write
 * side: each write becomes one or more messages of at most {@link
 * ChannelConnection#MAX_OUTBOUND_PAYLOAD} bytes; {@link #writeQueueFull()} is the WebSocket's.
 * {@link #end()} sends the v5 CLOSE signal when this side is a client on {@code v5.channel.k8s.io};
 * otherwise it only stops writes (servers signal the end by the status and the close frame).
 */
public final class ChannelStream extends MultiplexedStream {

  /** Queued inbound bytes above which the WebSocket stops being read. */
  static final int HIGH_WATER = InboundQueue.DEFAULT_HIGH_WATER;

  private final ChannelConnection connection;
  private final int channel;
  private boolean localEnded;

  /**
   * {@code streamtype} in the headers, so code written against SPDY streams can tell channels
   * apart.
   */
  ChannelStream(ChannelConnection connection, int channel) {
    super(
        channel,
        HeaderBlock.of(StreamHeaders.STREAM_TYPE, Channels.typeOf(channel).headerValue()),
        connection::onContext,
        HIGH_WATER,
        connection::writeQueueFull);
    this.connection = connection;
    this.channel = channel;
  }

  @Override
  public Future<Void> closeFuture() {
    return connection.closeFuture();
  }

  @Override
  protected void overHighWater(boolean over) {
    connection.updateBackpressure(this, over);
  }

  // ---- read side: the queue's, fed here ----

  /**
   * A payload from the peer (on the context); empty ones, and any after the channel's end, are
   * dropped.
   */
  void onData(Buffer payload) {
    inbound.write(payload);
  }

  /**
   * The peer closed this channel (v5 CLOSE) or the connection ended: reads end after what is
   * queued.
   */
  void onRemoteEnd() {
    inbound.end();
  }

  /** The connection is gone. */
  void onConnectionClosed() {
    localEnded = true;
    onRemoteEnd();
  }

  // ---- write side ----

  @Override
  public Future<Void> write(Buffer data) {
    if (!connection.isOnContext()) {
      return connection.callOnContext(() -> write(data));
    }
    if (localEnded) {
      return Future.failedFuture(
          new WriteClosedStreamException("write on closed channel " + channel));
    }
    return connection.send(channel, data);
  }

  @Override
  public Future<Void> end() {
    if (!connection.isOnContext()) {
      return connection.callOnContext(this::end);
    }
    if (localEnded) {
      return Future.succeededFuture();
    }
    localEnded = true;
    return connection.sendsCloseSignals()
        ? connection.sendCloseSignal(channel)
        : Future.succeededFuture();
  }

  void onDrain() {
    fireDrain();
  }

  /** Drops what is queued and ends both directions; the connection stays up. */
  @Override
  public void reset() {
    connection.onContext(
        () -> {
          inbound.clear();
          localEnded = true;
          onRemoteEnd();
        });
  }

  void fail(Throwable cause) {
    failReader(cause);
  }

  @Override
  public String toString() {
    return "ChannelStream[" + channel + "]";
  }
}
