package io.kubehop.runtime.streaming;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * A client-side output sink: keeps what it gets (up to {@link #KEEP_LIMIT} bytes), or, for large
 * outputs, only counts the bytes and checks them against a repeating pattern. A slow sink reports a
 * full queue after every {@link #BURST} bytes and drains on a timer, so the server's back-pressure
 * is exercised end to end.
 */
public final class CollectingSink implements WriteStream<Buffer> {

  static final int KEEP_LIMIT = 1 << 20;

  private final Vertx vertx;
  private final byte[] pattern;
  private final long slowMillis;

  /** Bytes accepted between two pauses of a slow sink. */
  static final int BURST = 256 * 1024;

  private long sinceDrain;
  private final Buffer kept = Buffer.buffer();
  private final Promise<Void> ended = Promise.promise();
  private long count;
  private long mismatchAt = -1;
  private boolean full;
  private Handler<Void> drainHandler;

  /** Past this many bytes a slow sink becomes fast. */
  private final long slowUntil;

  private CollectingSink(Vertx vertx, byte[] pattern, long slowMillis, long slowUntil) {
    this.vertx = vertx;
    this.pattern = pattern;
    this.slowMillis = slowMillis;
    this.slowUntil = slowUntil;
  }

  /** Keeps everything. */
  public static CollectingSink keeping(Vertx vertx) {
    return new CollectingSink(vertx, null, 0, 0);
  }

  /**
   * Counts and checks bytes against {@code pattern}; for its first {@code slowUntil} bytes it
   * pauses {@code slowMillis} after every {@link #BURST}.
   */
  public static CollectingSink checking(
      Vertx vertx, byte[] pattern, long slowMillis, long slowUntil) {
    return new CollectingSink(vertx, pattern, slowMillis, slowUntil);
  }

  @Override
  public synchronized Future<Void> write(Buffer data) {
    if (pattern != null) {
      for (int i = 0; i < data.length(); i++) {
        if (mismatchAt < 0 && data.getByte(i) != pattern[(int) ((count + i) % pattern.length)]) {
          mismatchAt = count + i;
        }
      }
    } else if (kept.length() < KEEP_LIMIT) {
      kept.appendBuffer(data);
    }
    count += data.length();
    sinceDrain += data.length();
    if (slowMillis > 0 && count < slowUntil && !full && sinceDrain >= BURST) {
      full = true;
      sinceDrain = 0;
      vertx.setTimer(slowMillis, t -> drain());
    }
    return Future.succeededFuture();
  }

  private void drain() {
    Handler<Void> handler;
    synchronized (this) {
      full = false;
      handler = drainHandler;
    }
    if (handler != null) {
      handler.handle(null);
    }
  }

  @Override
  public Future<Void> end() {
    ended.tryComplete();
    return Future.succeededFuture();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public synchronized boolean writeQueueFull() {
    return full;
  }

  @Override
  public synchronized WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }

  public synchronized String text() {
    return kept.toString();
  }

  public synchronized long count() {
    return count;
  }

  /** Offset of the first byte that broke the pattern, or -1. */
  public synchronized long mismatchAt() {
    return mismatchAt;
  }

  public Future<Void> ended() {
    return ended.future();
  }
}
