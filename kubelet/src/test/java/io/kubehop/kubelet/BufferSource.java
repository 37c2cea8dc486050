package io.kubehop.kubelet;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;

/**
 * A ReadStream the test feeds ({@link #push}, {@link #end}) from any thread; it emits on {@code
 * context}, honouring pause, resume and fetch. Stands in for a terminal's stdin.
 */
final class BufferSource implements ReadStream<Buffer> {

  private final Context context;
  private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private long demand = Long.MAX_VALUE;
  private boolean ended;
  private boolean endSent;

  BufferSource(Context context) {
    this.context = context;
  }

  void push(String text) {
    context.runOnContext(
        v -> {
          queue.add(Buffer.buffer(text));
          drain();
        });
  }

  void end() {
    context.runOnContext(
        v -> {
          ended = true;
          drain();
        });
  }

  private void drain() {
    while (demand > 0 && !queue.isEmpty() && handler != null) {
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      handler.handle(queue.poll());
    }
    if (ended && queue.isEmpty() && !endSent && endHandler != null) {
      endSent = true;
      endHandler.handle(null);
    }
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    this.handler = handler;
    context.runOnContext(v -> drain());
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    demand = 0;
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    demand = Long.MAX_VALUE;
    context.runOnContext(v -> drain());
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    demand = demand == Long.MAX_VALUE || demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    context.runOnContext(v -> drain());
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }
}
