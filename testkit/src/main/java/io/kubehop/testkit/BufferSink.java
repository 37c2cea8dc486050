package io.kubehop.testkit;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * A WriteStream that collects everything, never full: {@link #ended()} completes with all of it on
 * end, and {@link #text()} shows what arrived so far from any thread.
 */
public final class BufferSink implements WriteStream<Buffer> {

  private final Buffer all = Buffer.buffer();
  private final Promise<Buffer> ended = Promise.promise();

  public Future<Buffer> ended() {
    return ended.future();
  }

  /** What arrived so far (a copy). */
  public synchronized String text() {
    return all.toString();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public synchronized Future<Void> write(Buffer data) {
    all.appendBuffer(data);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> end() {
    ended.tryComplete(all.copy());
    return Future.succeededFuture();
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return false;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    return this;
  }
}
