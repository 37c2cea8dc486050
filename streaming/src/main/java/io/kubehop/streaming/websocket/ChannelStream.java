package io.kubehop.streaming.websocket;

import io.kubehop.streaming.httpstream.Stream;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.httpstream.HeaderBlock;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;

/**
 * One channel of a {@link ChannelConnection}, as a {@link Stream}. State lives on the connection's context; calls
 * from other threads are moved there, in order.
 *
 * <p>Read side: payloads are queued until the handler has demand; above {@link #HIGH_WATER} queued bytes the
 * connection pauses the WebSocket (there is one read side for all channels, as in upstream's single reader), and
 * resumes it once every channel drained. Write side: each write becomes one or more messages of at most
 * {@link ChannelConnection#MAX_OUTBOUND_PAYLOAD} bytes; {@link #writeQueueFull()} is the WebSocket's.
 * {@link #end()} sends the v5 CLOSE signal when this side is a client on {@code v5.channel.k8s.io}; otherwise it only
 * stops writes (servers signal the end by the status and the close frame).
 */
public final class ChannelStream implements Stream {

  /** Queued inbound bytes above which the WebSocket stops being read. */
  static final int HIGH_WATER = 64 * 1024;

  private final ChannelConnection connection;
  private final int channel;
  private final HeaderBlock headers;
  private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
  private long queuedBytes;
  private long demand = Long.MAX_VALUE;
  private boolean draining;
  private boolean remoteEnded;
  private boolean endDelivered;
  private boolean localEnded;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private volatile Handler<Void> drainHandler;
  private Handler<Throwable> exceptionHandler;

  ChannelStream(ChannelConnection connection, int channel) {
    this.connection = connection;
    this.channel = channel;
    this.headers = HeaderBlock.of(StreamHeaders.STREAM_TYPE, Channels.typeOf(channel).headerValue());
  }

  /** The channel number. */
  @Override
  public int id() {
    return channel;
  }

  /** {@code streamtype} of the channel, so code written against SPDY streams can tell them apart. */
  @Override
  public HeaderBlock headers() {
    return headers;
  }

  @Override
  public Future<Void> closeFuture() {
    return connection.closeFuture();
  }

  // ---- read side ----

  @Override
  public ChannelStream handler(Handler<Buffer> handler) {
    connection.onContext(() -> {
      this.handler = handler;
      drain();
    });
    return this;
  }

  @Override
  public ChannelStream pause() {
    connection.onContext(() -> demand = 0);
    return this;
  }

  @Override
  public ChannelStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ChannelStream fetch(long amount) {
    connection.onContext(() -> {
      demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
      drain();
    });
    return this;
  }

  @Override
  public ChannelStream endHandler(Handler<Void> endHandler) {
    connection.onContext(() -> {
      this.endHandler = endHandler;
      drain();
    });
    return this;
  }

  @Override
  public ChannelStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  /** A payload from the peer (on the context). */
  void onData(Buffer payload) {
    if (remoteEnded || payload.length() == 0) {
      return;
    }
    queue.add(payload);
    queuedBytes += payload.length();
    drain();
  }

  /** The peer closed this channel (v5 CLOSE) or the connection ended: reads end after what is queued. */
  void onRemoteEnd() {
    if (!remoteEnded) {
      remoteEnded = true;
      drain();
    }
  }

  /** The connection is gone. */
  void onConnectionClosed() {
    localEnded = true;
    onRemoteEnd();
  }

  private void drain() {
    if (draining) {
      return;
    }
    draining = true;
    try {
      while (demand > 0 && handler != null && !queue.isEmpty()) {
        Buffer b = queue.poll();
        queuedBytes -= b.length();
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        handler.handle(b);
      }
      if (queue.isEmpty() && remoteEnded && !endDelivered && endHandler != null) {
        endDelivered = true;
        endHandler.handle(null);
      }
    } finally {
      draining = false;
    }
    connection.updateBackpressure(this, queuedBytes > HIGH_WATER);
  }

  /** Queued inbound bytes (tests check the bound). */
  long queuedBytes() {
    return queuedBytes;
  }

  // ---- write side ----

  @Override
  public Future<Void> write(Buffer data) {
    if (!connection.isOnContext()) {
      return connection.callOnContext(() -> write(data));
    }
    if (localEnded) {
      return Future.failedFuture("write on closed channel " + channel);
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
    return connection.sendsCloseSignals() ? connection.sendCloseSignal(channel) : Future.succeededFuture();
  }

  @Override
  public ChannelStream setWriteQueueMaxSize(int maxSize) {
    return this; // the WebSocket's queue is the only one
  }

  @Override
  public boolean writeQueueFull() {
    return connection.writeQueueFull();
  }

  /**
   * Set at once (not moved to the context): a pipe on another context sets it right after seeing a full queue, and
   * the WebSocket may drain before a deferred assignment would land. If the queue already drained, the handler runs
   * on the context, so a drain is never lost.
   */
  @Override
  public ChannelStream drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    if (handler != null) {
      connection.onContext(() -> {
        if (drainHandler == handler && !connection.writeQueueFull()) {
          handler.handle(null);
        }
      });
    }
    return this;
  }

  void onDrain() {
    Handler<Void> h = drainHandler;
    if (h != null) {
      h.handle(null);
    }
  }

  /** Drops what is queued and ends both directions; the connection stays up. */
  @Override
  public void reset() {
    connection.onContext(() -> {
      queue.clear();
      queuedBytes = 0;
      localEnded = true;
      onRemoteEnd();
    });
  }

  void fail(Throwable cause) {
    Handler<Throwable> h = exceptionHandler;
    if (h != null && !endDelivered) {
      h.handle(cause);
    }
  }

  @Override
  public String toString() {
    return "ChannelStream[" + channel + "]";
  }
}
