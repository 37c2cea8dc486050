package io.kubehop.streaming.remotecommand.client;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/** A WriteStream that collects everything; {@link #ended()} completes with it on end. */
public final class BufferSink implements WriteStream<Buffer> {
  private final Buffer all = Buffer.buffer();
  private final Promise<Buffer> ended = Promise.promise();

  public Future<Buffer> ended() {
    return ended.future();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    all.appendBuffer(data);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    ended.tryComplete(all);
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
