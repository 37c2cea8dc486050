package io.kubehop.streaming.remotecommand.client;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * A WriteStream that takes {@code bytesPerTick} bytes every millisecond: a slow terminal. It
 * reports a full queue above 256 KiB and drains from a periodic timer; {@link #ended()} completes
 * with the byte count on end.
 */
final class SlowSink implements WriteStream<Buffer> {
  private static final int MAX_QUEUE = 256 * 1024;
  private final Promise<Long> ended = Promise.promise();
  private final Vertx vertx;
  private final long timer;
  private long queued;
  private long total;
  private boolean ending;
  private Handler<Void> drainHandler;

  SlowSink(Vertx vertx, int bytesPerTick) {
    this.vertx = vertx;
    this.timer = vertx.setPeriodic(1, t -> tick(bytesPerTick));
  }

  Future<Long> ended() {
    return ended.future();
  }

  private synchronized void tick(int bytes) {
    boolean wasFull = queued > MAX_QUEUE;
    queued = Math.max(0, queued - bytes);
    if (wasFull && queued <= MAX_QUEUE && drainHandler != null) {
      Handler<Void> h = drainHandler;
      vertx.runOnContext(v -> h.handle(null));
    }
    if (ending && queued == 0) {
      vertx.cancelTimer(timer);
      ended.tryComplete(total);
    }
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public synchronized Future<Void> write(Buffer data) {
    queued += data.length();
    total += data.length();
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> end() {
    ending = true;
    return Future.succeededFuture();
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public synchronized boolean writeQueueFull() {
    return queued > MAX_QUEUE;
  }

  @Override
  public synchronized WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }
}
