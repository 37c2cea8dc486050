package io.kubehop.runtime.streaming;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Hands chunks from a blocking reader thread (a process pipe, an attach queue) to a Vert.x stream
 * of a session, with back-pressure: at most {@link #MAX_PENDING} chunks are on their way to the
 * event loop, and while the stream reports {@code writeQueueFull} their permits are only returned
 * by its {@code drainHandler}. A slow client therefore blocks the reader thread, which stops
 * reading the pipe, which blocks the process: memory stays bounded and the event loop never waits.
 * A sink without a stream (the client did not ask for it) drops what it gets.
 */
final class StreamSink {

  /** Chunks handed to the event loop and not yet accepted by the stream. */
  static final int MAX_PENDING = 2;

  private static final long POLL_MILLIS = 200;

  private final Context context;
  private final WriteStream<Buffer> stream;
  private final Semaphore permits = new Semaphore(MAX_PENDING);

  /** Permits kept until the stream drains; only touched on the context. */
  private int parked;

  /** Bytes handed to the stream; only touched on the context. */
  private long delivered;

  private volatile boolean closed;

  /** A sink into {@code stream} (may be null: discard), which must belong to {@code context}. */
  StreamSink(Context context, WriteStream<Buffer> stream) {
    this.context = context;
    this.stream = stream;
    if (stream != null) {
      context.runOnContext(v -> stream.drainHandler(drained -> releaseParked()));
    }
  }

  /**
   * Writes a chunk, blocking the calling (non event loop) thread while the stream is full. Returns
   * false once the sink is closed: the caller stops copying.
   */
  boolean write(byte[] chunk) throws InterruptedException {
    return write(chunk, chunk.length);
  }

  /**
   * {@link #write(byte[])} of the first {@code length} bytes of {@code bytes}, which are copied
   * once (into the buffer the stream gets), so the caller may reuse the array at once.
   */
  boolean write(byte[] bytes, int length) throws InterruptedException {
    if (stream == null) {
      return !closed;
    }
    while (!permits.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
      if (closed) {
        return false;
      }
    }
    if (closed) {
      permits.release();
      return false;
    }
    Buffer buffer = Buffer.buffer(length).appendBytes(bytes, 0, length);
    context.runOnContext(v -> deliver(buffer));
    return true;
  }

  private void deliver(Buffer buffer) {
    if (closed) {
      permits.release();
      return;
    }
    stream.write(buffer);
    delivered += buffer.length();
    if (stream.writeQueueFull()) {
      parked++; // given back by the drain handler
    } else {
      permits.release();
    }
  }

  private void releaseParked() {
    int n = parked;
    parked = 0;
    permits.release(n);
  }

  /**
   * Completes on the context after every chunk accepted so far was handed to the stream (the
   * context runs tasks in order), so a status written afterwards follows the last byte of output.
   */
  Future<Void> flushed() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> done.complete());
    return done.future();
  }

  /**
   * Stops the sink (the session is over or the client left): a blocked writer returns false, chunks
   * are dropped.
   */
  void close() {
    closed = true;
    permits.release(MAX_PENDING);
  }

  /** Bytes handed to the stream so far (read on the context). */
  long delivered() {
    return delivered;
  }

  boolean isClosed() {
    return closed;
  }
}
