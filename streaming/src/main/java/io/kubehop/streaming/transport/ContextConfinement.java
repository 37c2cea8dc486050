package io.kubehop.streaming.transport;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Supplier;

/**
 * Confines an object's state to one Vert.x context instead of guarding it with locks (what
 * spdystream needs seven mutexes for): code already on the context's event loop runs at once,
 * anything else is moved onto it, in order. Sessions and connections hold one and route every state
 * change through it.
 */
public final class ContextConfinement {

  private final Context context;

  public ContextConfinement(Context context) {
    this.context = context;
  }

  /** The context everything runs on. */
  public Context context() {
    return context;
  }

  /** The caller is on the context's event loop (see {@link VertxInternals#inEventLoop}). */
  public boolean isOnContext() {
    return VertxInternals.inEventLoop(context);
  }

  /** Runs {@code action} now when on the context, else queues it there. */
  public void run(Runnable action) {
    if (isOnContext()) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  /**
   * Queues {@code action} on the context (even from it: after what runs now) and relays its result.
   */
  public <T> Future<T> call(Supplier<Future<T>> action) {
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(p));
    return p.future();
  }
}
