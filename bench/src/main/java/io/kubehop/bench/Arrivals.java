package io.kubehop.bench;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * A session's stdout as the harness sees it: counts the bytes and completes the promise set by
 * {@link #expect} once that many more arrived. Never full: an echo session writes a byte per byte
 * typed. Confined to the session's context.
 */
final class Arrivals implements WriteStream<Buffer> {

  private long received;
  private long awaited = Long.MAX_VALUE;
  private Promise<Void> arrived;
  private final Promise<Void> ended = Promise.promise();

  /** Completes when {@code count} bytes more than so far arrived. Call on the session's context. */
  Future<Void> expect(long count) {
    arrived = Promise.promise();
    awaited = received + count;
    check();
    return arrived.future();
  }

  long received() {
    return received;
  }

  Future<Void> ended() {
    return ended.future();
  }

  private void check() {
    if (arrived != null && received >= awaited) {
      Promise<Void> p = arrived;
      arrived = null;
      awaited = Long.MAX_VALUE;
      p.complete();
    }
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    received += data.length();
    check();
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    ended.tryComplete();
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
