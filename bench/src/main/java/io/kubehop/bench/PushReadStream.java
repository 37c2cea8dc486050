package io.kubehop.bench;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;

/**
 * A session's stdin fed by the harness: {@link #push} hands a buffer to the session on its context,
 * honouring the session's demand (a paused stream queues; the harness pushes one byte at a time, so
 * the queue stays a byte or two).
 */
final class PushReadStream implements ReadStream<Buffer> {

  private final Context context;
  private final ArrayDeque<Buffer> queued = new ArrayDeque<>();
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private long demand = Long.MAX_VALUE;
  private boolean ended;

  PushReadStream(Context context) {
    this.context = context;
  }

  /** Hands {@code data} to the session, from any thread. */
  void push(Buffer data) {
    context.runOnContext(
        v -> {
          queued.add(data);
          drain();
        });
  }

  /** Ends stdin (the remote process reads EOF), from any thread. */
  void end() {
    context.runOnContext(
        v -> {
          ended = true;
          drain();
        });
  }

  private void drain() {
    while (demand > 0 && !queued.isEmpty() && handler != null) {
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      handler.handle(queued.poll());
    }
    if (ended && queued.isEmpty() && endHandler != null) {
      Handler<Void> end = endHandler;
      endHandler = null;
      end.handle(null);
    }
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    this.handler = handler;
    drain();
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
    drain();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    drain();
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    drain();
    return this;
  }
}
