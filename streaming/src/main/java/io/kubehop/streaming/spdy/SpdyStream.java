package io.kubehop.streaming.spdy;

import io.kubehop.streaming.httpstream.ConnectionClosedException;
import io.kubehop.streaming.httpstream.HeaderBlock;
import io.kubehop.streaming.httpstream.InboundQueue;
import io.kubehop.streaming.httpstream.MultiplexedStream;
import io.kubehop.streaming.httpstream.StreamResetException;
import io.kubehop.streaming.httpstream.WriteClosedStreamException;
import io.kubehop.streaming.spdy.frame.RstStatus;
import io.kubehop.streaming.spdy.frame.SpdyFrame;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

/**
 * One SPDY stream of a {@link SpdySession}. State lives on the session's context; calls from other
 * threads are moved there, in order.
 *
 * <p>Inbound DATA is queued in an {@link InboundQueue} until the handler has demand. There is no
 * SPDY flow control (spdystream has none): when the queue grows beyond {@link #HIGH_WATER} the
 * session pauses the whole transport, so back-pressure reaches the peer through TCP, and resumes it
 * once the queue drained. Writes go straight to the transport; a server stream sends its SYN_REPLY
 * before its first DATA, because spdystream silently drops DATA on an unreplied stream.
 */
public final class SpdyStream extends MultiplexedStream {

  /** Queued inbound bytes above which the transport stops reading. */
  static final int HIGH_WATER = InboundQueue.DEFAULT_HIGH_WATER;

  private final SpdySession session;
  private final Promise<Void> closed = Promise.promise();
  private boolean localFin;
  private boolean reset;
  private boolean replied;

  SpdyStream(SpdySession session, int id, HeaderBlock headers, boolean replied) {
    super(id, headers, session::onContext, HIGH_WATER, session::writeQueueFull);
    this.session = session;
    this.replied = replied;
    inbound.emptyHandler(v -> maybeRemove());
  }

  @Override
  public Future<Void> closeFuture() {
    return closed.future();
  }

  @Override
  protected void overHighWater(boolean over) {
    session.updateBackpressure(this, over);
  }

  // ---- read side: the queue's, fed here ----

  /**
   * DATA from the peer (on the context); after FIN or RST the queue ignores it, as spdystream does.
   */
  void onData(Buffer data, boolean fin) {
    inbound.write(data);
    if (fin) {
      inbound.end();
    }
    maybeRemove();
  }

  /** A FIN without data (SYN_REPLY/HEADERS with FIN), or the transport went away. */
  void onRemoteFin() {
    onData(Buffer.buffer(), true);
  }

  /** RST_STREAM from the peer: reads end after what was already received, writes fail. */
  void onReset(RstStatus status) {
    if (reset) {
      return;
    }
    reset = true;
    localFin = true;
    inbound.end();
    session.streamRemoved(this);
    closed.tryComplete();
  }

  // ---- write side ----

  @Override
  public Future<Void> write(Buffer data) {
    if (!session.isOnContext()) {
      return session.callOnContext(() -> write(data));
    }
    if (reset) {
      return Future.failedFuture(new StreamResetException());
    }
    if (localFin) {
      return Future.failedFuture(new WriteClosedStreamException());
    }
    replyIfNeeded();
    return session.writeFrame(new SpdyFrame.Data(id(), false, data));
  }

  /** Half-closes: an empty DATA frame with FIN, as spdystream's {@code Stream.Close()}. */
  @Override
  public Future<Void> end() {
    if (!session.isOnContext()) {
      return session.callOnContext(this::end);
    }
    if (reset) {
      return Future.failedFuture(new StreamResetException());
    }
    if (localFin) {
      return Future.failedFuture(new WriteClosedStreamException());
    }
    replyIfNeeded();
    localFin = true;
    Future<Void> f = session.writeFrame(SpdyFrame.Data.finOf(id()));
    maybeRemove();
    return f;
  }

  void onDrain() {
    fireDrain();
  }

  /**
   * Aborts the stream with RST_STREAM CANCEL (unless it is already gone) and ends its read side.
   */
  @Override
  public void reset() {
    reset(RstStatus.CANCEL);
  }

  void reset(RstStatus status) {
    session.onContext(
        () -> {
          if (reset || (localFin && inbound.isEnded())) {
            return;
          }
          session.writeFrame(new SpdyFrame.RstStream(id(), status));
          reset = true;
          localFin = true;
          inbound.clear();
          inbound.end();
          session.streamRemoved(this);
          closed.tryComplete();
        });
  }

  /** The transport is gone: reads end after queued data, later writes fail. */
  void onConnectionClosed() {
    boolean finished =
        inbound.isEnded(); // the peer's FIN (or a reset) came first: what is queued is a clean end
    inbound.end();
    localFin = true;
    closed.tryComplete();
    // After a FIN, data may still wait for a slow reader: failing now would make a pipe drop it.
    if (!finished) {
      failReader(new ConnectionClosedException());
    }
  }

  boolean isReplied() {
    return replied;
  }

  void markReplied() {
    replied = true;
  }

  /** A server stream must be answered before it carries DATA. */
  void replyIfNeeded() {
    if (!replied) {
      replied = true;
      session.writeFrame(new SpdyFrame.SynReply(id(), 0, HeaderBlock.EMPTY));
    }
  }

  /** This side has sent FIN (or the stream was reset). */
  boolean isLocalFinished() {
    return localFin;
  }

  boolean isReset() {
    return reset;
  }

  private void maybeRemove() {
    if (localFin
        && inbound.isEnded()
        && !reset
        && inbound.isEmpty()
        && !closed.future().isComplete()) {
      session.streamRemoved(this);
      closed.tryComplete();
    }
  }

  @Override
  public String toString() {
    return "SpdyStream[" + id() + " " + headers() + "]";
  }
}
