package io.kubehop.streaming.httpstream;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * One multiplexed stream of a {@link StreamConnection} (apimachinery's {@code httpstream.Stream}):
 * a Vert.x read and write stream of bytes, with the headers it was opened with.
 *
 * <p>{@link #end()} half-closes (the peer reads EOF; this side can still read); {@link #reset()}
 * aborts both directions. The read side ends when the peer half-closes, resets, or the connection
 * goes away.
 */
public interface Stream extends ReadStream<Buffer>, WriteStream<Buffer> {

  /** The stream id on the wire (SPDY: odd when opened by the client, even by the server). */
  int id();

  /** The headers of the opening frame, e.g. {@code streamtype: stdout}. */
  HeaderBlock headers();

  /** Aborts both directions (SPDY: RST_STREAM CANCEL); a no-op once the stream is gone. */
  void reset();

  /** Completes when both directions are done or the stream was reset. */
  Future<Void> closeFuture();

  @Override
  Stream exceptionHandler(Handler<Throwable> handler);
}
