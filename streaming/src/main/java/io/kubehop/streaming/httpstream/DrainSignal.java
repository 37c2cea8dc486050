package io.kubehop.streaming.httpstream;

import io.vertx.core.Handler;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * The drain handler of a {@link Stream} whose write queue is its connection's (SPDY session,
 * WebSocket): the connection's transport drains, and every stream hears it through {@link #fire()}.
 *
 * <p>The handler is set at once, from any thread, not moved to the context first: a pipe on another
 * context sets it right after it saw {@code writeQueueFull()}, and the transport may drain before a
 * deferred assignment would land; that drain was then lost and the pipe stalled for good. Because
 * the queue may also have drained before the handler was set, the handler is run on the context if
 * the queue is no longer full by then. A handler may so run once more than there were drains; a
 * pipe's resume does not mind.
 */
public final class DrainSignal {

  private final Executor onContext;
  private final BooleanSupplier writeQueueFull;
  private volatile Handler<Void> handler;

  /**
   * @param onContext runs a task on the connection's context (at once when already there)
   * @param writeQueueFull the connection's {@code writeQueueFull()}, asked on the context
   */
  public DrainSignal(Executor onContext, BooleanSupplier writeQueueFull) {
    this.onContext = onContext;
    this.writeQueueFull = writeQueueFull;
  }

  /** Sets the handler now; runs it on the context unless the queue is (still) full there. */
  public void handler(Handler<Void> handler) {
    this.handler = handler;
    if (handler != null) {
      onContext.execute(
          () -> {
            if (this.handler == handler && !writeQueueFull.getAsBoolean()) {
              handler.handle(null);
            }
          });
    }
  }

  /** The connection's write queue drained (on the context). */
  public void fire() {
    Handler<Void> h = handler;
    if (h != null) {
      h.handle(null);
    }
  }
}
