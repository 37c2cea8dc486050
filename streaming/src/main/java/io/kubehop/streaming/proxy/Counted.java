package io.kubehop.streaming.proxy;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Stream wrappers that see the bytes passing through (a hop's byte counters, a validator);
 * everything else delegates.
 */
final class Counted {

  private Counted() {
    throw new AssertionError("No instances.");
  }

  static ReadStream<Buffer> read(ReadStream<Buffer> from, IntConsumer counter) {
    return from == null
        ? null
        : intercept(
            from,
            handler ->
                b -> {
                  counter.accept(b.length());
                  handler.handle(b);
                });
  }

  /** {@code from} with every data handler wrapped by {@code wrap}; everything else delegates. */
  static ReadStream<Buffer> intercept(
      ReadStream<Buffer> from, Function<Handler<Buffer>, Handler<Buffer>> wrap) {
    return new ReadStream<>() {
      @Override
      public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        from.exceptionHandler(handler);
        return this;
      }

      @Override
      public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        from.handler(handler == null ? null : wrap.apply(handler));
        return this;
      }

      @Override
      public ReadStream<Buffer> pause() {
        from.pause();
        return this;
      }

      @Override
      public ReadStream<Buffer> resume() {
        from.resume();
        return this;
      }

      @Override
      public ReadStream<Buffer> fetch(long amount) {
        from.fetch(amount);
        return this;
      }

      @Override
      public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        from.endHandler(endHandler);
        return this;
      }
    };
  }

  static WriteStream<Buffer> write(WriteStream<Buffer> to, IntConsumer counter) {
    return to == null
        ? null
        : new WriteStream<>() {
          @Override
          public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            to.exceptionHandler(handler);
            return this;
          }

          @Override
          public Future<Void> write(Buffer data) {
            counter.accept(data.length());
            return to.write(data);
          }

          @Override
          public Future<Void> end() {
            return to.end();
          }

          @Override
          public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
            to.setWriteQueueMaxSize(maxSize);
            return this;
          }

          @Override
          public boolean writeQueueFull() {
            return to.writeQueueFull();
          }

          @Override
          public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
            to.drainHandler(handler);
            return this;
          }
        };
  }
}
