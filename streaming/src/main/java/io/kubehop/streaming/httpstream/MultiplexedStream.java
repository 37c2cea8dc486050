package io.kubehop.streaming.httpstream;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * What a SPDY stream and a WebSocket channel have in common, as one {@link Stream} of a connection
 * confined to one Vert.x context: the id and headers it was opened with, its read side (an {@link
 * InboundQueue}, whose high-water mark the subclass reports to its connection), its write side's
 * drain handler (a {@link DrainSignal} over the connection's write queue, which is the only one)
 * and the reader's exception handler. The subclass writes, ends, resets and knows when it is
 * closed.
 */
public abstract class MultiplexedStream implements Stream {

  private final int id;
  private final HeaderBlock headers;
  private final BooleanSupplier writeQueueFull;
  private final DrainSignal drain;
  private volatile Handler<Throwable> exceptionHandler;

  /** What the peer sent, until the reader takes it; fed by the subclass on the context. */
  protected final InboundQueue inbound;

  /**
   * @param onContext runs a task on the connection's context (at once when already there)
   * @param highWater queued inbound bytes above which {@link #overHighWater} hears {@code true}
   * @param writeQueueFull the connection's write queue is full (asked on any thread)
   */
  protected MultiplexedStream(
      int id,
      HeaderBlock headers,
      Executor onContext,
      long highWater,
      BooleanSupplier writeQueueFull) {
    this.id = id;
    this.headers = headers;
    this.writeQueueFull = writeQueueFull;
    this.drain = new DrainSignal(onContext, writeQueueFull);
    this.inbound = new InboundQueue(onContext, highWater, this::overHighWater);
  }

  /**
   * The inbound queue rose above its mark ({@code true}) or is back ({@code false}); on the
   * context.
   */
  protected abstract void overHighWater(boolean over);

  @Override
  public int id() {
    return id;
  }

  @Override
  public HeaderBlock headers() {
    return headers;
  }

  // ---- read side ----

  @Override
  public MultiplexedStream handler(Handler<Buffer> handler) {
    inbound.handler(handler);
    return this;
  }

  @Override
  public MultiplexedStream pause() {
    inbound.pause();
    return this;
  }

  @Override
  public MultiplexedStream resume() {
    inbound.resume();
    return this;
  }

  @Override
  public MultiplexedStream fetch(long amount) {
    inbound.fetch(amount);
    return this;
  }

  @Override
  public MultiplexedStream endHandler(Handler<Void> endHandler) {
    inbound.endHandler(endHandler);
    return this;
  }

  @Override
  public MultiplexedStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  /**
   * Tells the reader the stream failed, unless it already saw a clean end (then there is nothing
   * left to lose). On the context.
   */
  protected final void failReader(Throwable cause) {
    Handler<Throwable> h = exceptionHandler;
    if (h != null && !inbound.isEndDelivered()) {
      h.handle(cause);
    }
  }

  /** Inbound bytes queued and not yet handed to the handler (tests check the bound). */
  public long queuedBytes() {
    return inbound.queuedBytes();
  }

  // ---- write side: the connection's queue ----

  @Override
  public MultiplexedStream setWriteQueueMaxSize(int maxSize) {
    return this; // the connection's write queue is the only one
  }

  @Override
  public boolean writeQueueFull() {
    return writeQueueFull.getAsBoolean();
  }

  /**
   * Set at once, not moved to the context (see {@link DrainSignal}: a drain in between must not be
   * lost).
   */
  @Override
  public MultiplexedStream drainHandler(Handler<Void> handler) {
    drain.handler(handler);
    return this;
  }

  /** The connection's write queue drained: runs the drain handler (on the context). */
  protected final void fireDrain() {
    drain.fire();
  }
}
