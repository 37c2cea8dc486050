package io.kubehop.streaming.httpstream;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * The read side of a multiplexed {@link Stream}: what the peer sent, queued until the reader has
 * demand, then its end. Modelled on Vert.x's {@code InboundBuffer} (internal API, so not used
 * directly), with byte accounting instead of element counts, and an end that waits behind the data.
 * SPDY streams and WebSocket channels each own one.
 *
 * <ul>
 *   <li><b>Demand.</b> Flowing at first; {@link #pause()} sets the demand to 0, {@link
 *       #fetch(long)} adds to it, {@link #resume()} makes it unbounded. Buffers are delivered while
 *       there is demand and a handler; without a handler they wait (a handler set a moment after
 *       the stream opened still sees the first bytes).
 *   <li><b>High-water mark.</b> Above {@code highWater} queued bytes the owner hears {@code true}
 *       and stops reading its transport (there is no flow control in spdystream: back-pressure is
 *       TCP's); back at or below the mark it hears {@code false}. Only the changes are reported.
 *   <li><b>End after data.</b> {@link #end()} is delivered once everything queued before it was,
 *       and only when an end handler is set (one set after the data handler still sees it),
 *       whatever the demand.
 *   <li><b>Re-entrancy.</b> Handlers may call back in ({@code fetch}, {@code pause}, {@code write},
 *       {@code clear}): nothing is delivered from inside a handler; the running delivery loop picks
 *       up what changed, in order, so no handler ever runs inside another one and a reader fetching
 *       one buffer at a time does not grow the stack.
 * </ul>
 *
 * <p>Confinement: the owner's inbound calls ({@link #write}, {@link #end}, {@link #clear}) and
 * every callback run on the owner's context. The reader's calls ({@link #handler}, {@link
 * #endHandler}, {@link #pause}, {@link #fetch}, {@link #resume}) may come from any thread: they are
 * moved to the context through {@code onContext}, which runs them at once when already there, so
 * their order is kept.
 */
public final class InboundQueue {

  /**
   * The owner's transport stops being read above this many queued bytes, unless the owner says
   * otherwise.
   */
  public static final int DEFAULT_HIGH_WATER = 64 * 1024;

  private final Executor onContext;
  private final long highWater;
  private final Handler<Boolean> overHighWater;
  private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
  private long queuedBytes;
  private long demand = Long.MAX_VALUE;
  private boolean draining;
  private boolean reportedOver;
  private boolean ended;
  private boolean endDelivered;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Void> emptyHandler;

  /**
   * @param onContext runs a task on the owner's context: at once when called there, else queued
   *     there in order
   * @param highWater queued bytes above which {@code overHighWater} hears {@code true}
   * @param overHighWater told {@code true} when the queue rises above the mark, {@code false} when
   *     it is back
   */
  public InboundQueue(Executor onContext, long highWater, Handler<Boolean> overHighWater) {
    if (highWater < 0) {
      throw new IllegalArgumentException("highWater " + highWater + " < 0");
    }
    this.onContext = onContext;
    this.highWater = highWater;
    this.overHighWater = overHighWater;
  }

  // ---- the reader's side (any thread) ----

  /** Sets the data handler; queued buffers go to it while there is demand. */
  public void handler(Handler<Buffer> handler) {
    onContext.execute(
        () -> {
          this.handler = handler;
          drain();
        });
  }

  /** Sets the end handler; an end already reached behind the data is delivered to it. */
  public void endHandler(Handler<Void> endHandler) {
    onContext.execute(
        () -> {
          this.endHandler = endHandler;
          drain();
        });
  }

  /** Stops delivery: the demand becomes 0 (even inside a handler: the next buffer waits). */
  public void pause() {
    onContext.execute(() -> demand = 0);
  }

  /** Unbounded demand again. */
  public void resume() {
    fetch(Long.MAX_VALUE);
  }

  /**
   * Adds {@code amount} buffers to the demand (saturating at unbounded) and delivers what it
   * allows.
   */
  public void fetch(long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("fetch " + amount + " < 0");
    }
    onContext.execute(
        () -> {
          demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
          drain();
        });
  }

  // ---- the owner's side (on the context) ----

  /**
   * Called after a delivery run emptied the queue (Vert.x's {@code emptyHandler}): the owner may
   * finish the stream once its other half is done too.
   */
  public void emptyHandler(Handler<Void> emptyHandler) {
    this.emptyHandler = emptyHandler;
  }

  /**
   * Queues {@code data} from the peer and delivers what the demand allows. Empty buffers carry
   * nothing and are dropped, and so is anything after {@link #end()} (after FIN or RST nothing more
   * may arrive; spdystream ignores it too).
   *
   * @return whether the queue is at or below its mark afterwards (Vert.x's {@code write} result)
   */
  public boolean write(Buffer data) {
    if (!ended && data.length() > 0) {
      queue.add(data);
      queuedBytes += data.length();
      drain();
    }
    return queuedBytes <= highWater;
  }

  /**
   * No more data will come: the end handler runs once the queue is delivered. Repeated calls are
   * harmless.
   */
  public void end() {
    if (!ended) {
      ended = true;
      drain();
    }
  }

  /** Drops what is queued (a reset), without calling the data handler; the mark is re-evaluated. */
  public void clear() {
    queue.clear();
    queuedBytes = 0;
    drain();
  }

  /** {@link #end()} was called. */
  public boolean isEnded() {
    return ended;
  }

  /** The end handler has run: the reader saw a clean end, after all the data. */
  public boolean isEndDelivered() {
    return endDelivered;
  }

  /** Nothing is queued. */
  public boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Bytes queued and not yet delivered. */
  public long queuedBytes() {
    return queuedBytes;
  }

  /**
   * Delivers while there is demand, a handler and data; then the end, if it is due; then reports a
   * change of the mark. A callback may change any of that (a fetch, a write, a reset), so the loop
   * runs until nothing is left to do; a call that arrives while it runs only records its change.
   */
  private void drain() {
    if (draining) {
      return;
    }
    draining = true;
    try {
      boolean emitted = false;
      while (true) {
        if (demand > 0 && handler != null && !queue.isEmpty()) {
          Buffer b = queue.poll();
          queuedBytes -= b.length();
          if (demand != Long.MAX_VALUE) {
            demand--;
          }
          emitted = true;
          handler.handle(b);
        } else if (queue.isEmpty() && ended && !endDelivered && endHandler != null) {
          endDelivered = true;
          endHandler.handle(null);
        } else if (reportedOver != queuedBytes > highWater) {
          reportedOver = !reportedOver;
          overHighWater.handle(reportedOver);
        } else if (emitted && queue.isEmpty() && emptyHandler != null) {
          emitted = false;
          emptyHandler.handle(null);
        } else {
          return;
        }
      }
    } finally {
      draining = false;
    }
  }
}
