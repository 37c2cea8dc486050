package io.kubehop.streaming.fault;

import io.kubehop.streaming.transport.SocketMeter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Plays the fault rules of one streaming socket's hop and session ({@link FaultTable}) on that
 * socket, right behind its {@link SocketMeter} (so the meter still counts what the kernel sees).
 * With no rule that applies, every message passes at once: the cost is one volatile read.
 *
 * <p>Latency, bandwidth, stall and slow reader hold messages, each direction in its own queue in
 * arrival order, and let them go when their time comes. Holding is bounded both ways: reads stop
 * (auto-read off, and the channel's {@code read()} calls held back) while the inbound queue is full
 * or rate-limited, so the kernel's window pushes back on the peer; held writes count against the
 * channel's write-buffer water marks through a user-defined writability bit, so the writer above
 * (Vert.x's {@code writeQueueFull()}) pushes back on its source. The end of the input and a close
 * wait behind the held bytes, so no fault but a reset loses the tail of a stream.
 *
 * <p>Reset closes with {@code SO_LINGER 0}, which makes the kernel send RST (the peer reads
 * "Connection reset"), dropping whatever is held; idle cut closes plainly (FIN). Both are counted
 * as fault events.
 *
 * <p>Confined to the channel's event loop; the table's change listener hops onto it.
 */
public final class FaultHandler extends ChannelDuplexHandler {

  private static final Logger LOG = Logger.getLogger(FaultHandler.class.getName());

  static final String NAME = "kubehop-fault";

  /** The user-defined writability bit held writes clear (Netty's traffic shapers use 1 to 3). */
  private static final int WRITABILITY_INDEX = 7;

  /** Bytes held inbound before reading stops (latency alone), per socket. */
  static final long HELD_READS = 1 << 20;

  private static final int READ = 0;
  private static final int EVENT = 1;
  private static final int INACTIVE = 2;

  private final FaultTable table;
  private final Hop hop;
  private final String session;
  private final boolean readsTowardClient;
  private final Runnable listener = this::onRulesChanged;

  private ChannelHandlerContext ctx;
  private List<FaultRule> seen;
  private Effective effective = Effective.NONE;

  /**
   * The rules in force here, as inspectors show them; written on the loop, read from any thread.
   */
  private volatile List<String> active = List.of();

  private final Map<String, Long> metAt = new HashMap<>();
  private final Map<String, Long> bytesAtMet = new HashMap<>();
  private final Lane in = new Lane();
  private final Lane out = new Lane();
  private long bytes;
  private long lastActivity = System.nanoTime();
  private boolean readsHeld;
  private boolean restoreAutoRead;
  private boolean readRequested;
  private boolean unwritable;
  private ChannelPromise pendingClose;
  private boolean done;
  private boolean applying;
  private boolean reapply;
  private ScheduledFuture<?> wake;
  private long wakeAt = Long.MAX_VALUE;

  /**
   * @param readsTowardClient true on a socket this tier dialled toward the backend (what it reads
   *     goes toward the client), false on the client's socket
   */
  FaultHandler(FaultTable table, Hop hop, String session, boolean readsTowardClient) {
    this.table = table;
    this.hop = hop;
    this.session = session;
    this.readsTowardClient = readsTowardClient;
  }

  /**
   * Puts a handler for {@code hop} and {@code session} behind the meter of {@code meter}'s socket
   * (replacing one a previous session of a kept-alive connection left), on the socket's event loop.
   * Returns what removes it again.
   */
  public static Runnable on(
      SocketMeter.Reading meter,
      FaultTable table,
      Hop hop,
      String session,
      boolean readsTowardClient) {
    Channel channel = meter.channel();
    FaultHandler handler = new FaultHandler(table, hop, session, readsTowardClient);
    onLoop(
        channel,
        () -> {
          if (!channel.isOpen()) {
            return;
          }
          ChannelPipeline p = channel.pipeline();
          if (p.get(NAME) != null) {
            p.remove(NAME);
          }
          ChannelHandlerContext meterContext = p.context(SocketMeter.class);
          if (meterContext != null) {
            p.addAfter(meterContext.name(), NAME, handler);
          } else {
            p.addFirst(NAME, handler);
          }
        });
    return () ->
        onLoop(
            channel,
            () -> {
              if (channel.pipeline().get(NAME) == handler) {
                channel.pipeline().remove(handler);
              }
            });
  }

  /**
   * The faults in force on {@code channel}'s socket now, e.g. {@code bandwidth 1MiB/s (f1)}; empty
   * when none (or no handler). From any thread.
   */
  public static List<String> active(Channel channel) {
    return channel.pipeline().get(NAME) instanceof FaultHandler f && !f.done ? f.active : List.of();
  }

  private static void onLoop(Channel channel, Runnable task) {
    if (channel.eventLoop().inEventLoop()) {
      task.run();
    } else {
      try {
        channel.eventLoop().execute(task);
      } catch (RejectedExecutionException loopShutDown) {
        // the channel is gone with its loop: nothing to fault
      }
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    table.listen(listener);
    apply();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    table.unlisten(listener);
    cancelWake();
    if (!done) {
      // removed from a live channel (its session ended, the connection stays): what is held goes
      // on as if the fault had never been
      done = true;
      releaseAll();
    }
  }

  private void onRulesChanged() {
    try {
      ctx.executor().execute(this::apply);
    } catch (RejectedExecutionException loopShutDown) {
      table.unlisten(listener);
    }
  }

  // ---- inbound

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    int n = size(msg);
    long now = System.nanoTime();
    if (n > 0) {
      bytes += n;
      lastActivity = now;
    }
    Effective e = effective(now);
    if (done || (!e.shapesIn() && in.isEmpty())) {
      ctx.fireChannelRead(msg);
      if (!e.cuts().isEmpty() && n > 0) {
        apply();
      }
      return;
    }
    in.add(new Held(READ, msg, null, now, n));
    apply();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (in.isEmpty()) {
      ctx.fireChannelReadComplete();
    } // else fired when the held reads go
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (in.isEmpty() || done) {
      ctx.fireUserEventTriggered(evt);
    } else {
      in.add(new Held(EVENT, evt, null, System.nanoTime(), 0)); // the end stays behind the data
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    failWrites(out);
    closePending();
    if (in.isEmpty() || done || effective.stall()) {
      finish();
      dropAll(in);
      ctx.fireChannelInactive();
    } else {
      in.add(new Held(INACTIVE, null, null, System.nanoTime(), 0));
      apply();
    }
  }

  @Override
  public void read(ChannelHandlerContext ctx) {
    if (readsHeld) {
      readRequested = true;
    } else {
      ctx.read();
    }
  }

  // ---- outbound

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    int n = size(msg);
    long now = System.nanoTime();
    Effective e = effective(now);
    if (done || (!e.shapesOut() && out.isEmpty())) {
      wrote(n, now);
      ctx.write(msg, promise);
      if (!e.cuts().isEmpty() && n > 0) {
        apply();
      }
      return;
    }
    out.add(new Held(READ, msg, promise, now, n));
    writability();
    apply();
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    if (out.isEmpty()) {
      ctx.flush();
    } // else flushed when the held writes go
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (out.isEmpty() || done || effective.stall()) {
      // a stalled hop's writes would never go: the close does, as a kernel's would
      failWrites(out);
      ctx.close(promise);
    } else {
      pendingClose = promise; // after the held writes
    }
  }

  // ---- the rules

  private Effective effective(long now) {
    List<FaultRule> rules = table.rules();
    if (rules != seen) {
      seen = rules;
      List<FaultRule> mine =
          rules.isEmpty()
              ? List.of()
              : rules.stream().filter(r -> r.matches(hop, session)).toList();
      metAt.keySet().retainAll(mine.stream().map(FaultRule::id).toList());
      bytesAtMet.keySet().retainAll(metAt.keySet());
      for (FaultRule r : mine) {
        metAt.putIfAbsent(r.id(), now);
        bytesAtMet.putIfAbsent(r.id(), bytes);
      }
      effective = Effective.of(mine, readsTowardClient);
      active = mine.stream().map(r -> r.fault().describe() + " (" + r.id() + ")").toList();
    }
    return effective;
  }

  /**
   * Lets go what is due, acts on resets and cuts, and sets the timer for what comes next. Never
   * runs inside itself: letting writes go can tell the writer it may write again (the writability
   * event below), and the writer's next write calls in here. Run inside, that call would set the
   * timer for what it held and the outer run, whose idea of "next" predates those writes, would
   * then cancel it: held writes with no timer, a writer waiting for a drain that never comes.
   */
  private void apply() {
    if (applying) {
      reapply = true;
      return;
    }
    applying = true;
    try {
      do {
        reapply = false;
        applyOnce();
      } while (reapply && !done);
    } finally {
      applying = false;
    }
  }

  private void applyOnce() {
    if (done) {
      return;
    }
    long now = System.nanoTime();
    Effective e = effective(now);
    long next = Long.MAX_VALUE;
    boolean readsWent = false;
    while (!in.isEmpty() && !done) {
      Held h = in.peek();
      long at = readyAt(h, e, e.inRate(), in, now);
      if (at > now) {
        next = Math.min(next, at);
        break;
      }
      in.take(e.inRate());
      switch (h.kind()) {
        case READ -> {
          ctx.fireChannelRead(h.msg());
          readsWent = true;
        }
        case EVENT -> ctx.fireUserEventTriggered(h.msg());
        default -> {
          if (readsWent) {
            ctx.fireChannelReadComplete();
            readsWent = false;
          }
          finish();
          ctx.fireChannelInactive();
          return;
        }
      }
    }
    if (readsWent) {
      ctx.fireChannelReadComplete();
    }
    boolean writesWent = false;
    while (!out.isEmpty()) {
      Held h = out.peek();
      long at = readyAt(h, e, e.outRate(), out, now);
      if (at > now) {
        next = Math.min(next, at);
        break;
      }
      out.take(e.outRate());
      wrote(h.size(), now);
      ctx.write(h.msg(), h.promise());
      writesWent = true;
    }
    if (writesWent) {
      ctx.flush();
    }
    if (out.isEmpty() && pendingClose != null) {
      ChannelPromise close = pendingClose;
      pendingClose = null;
      ctx.close(close);
    }
    writability();
    next = Math.min(next, cuts(e, now));
    if (done) {
      return;
    }
    gateReads(e.stall() || in.bytes() >= HELD_READS || (e.inRate() > 0 && !in.isEmpty()));
    schedule(next);
  }

  /** When {@code h}, the head of {@code lane}, may go: now, later, or never (a stall). */
  private static long readyAt(Held h, Effective e, long rate, Lane lane, long now) {
    if (e.stall()) {
      return Long.MAX_VALUE;
    }
    long at = h.at() + e.latencyNanos();
    if (at > now) {
      return at;
    }
    if (rate > 0) {
      lane.refill(now, rate);
      if (lane.tokens < 0) {
        return now + (long) Math.ceil(-lane.tokens * 1e9 / rate);
      }
    }
    return now;
  }

  /** Resets and cuts that are due; otherwise when the next one is. */
  private long cuts(Effective e, long now) {
    long next = Long.MAX_VALUE;
    for (FaultRule r : e.cuts()) {
      if (r.fault() instanceof Fault.Reset reset && reset.afterTime() == null) {
        if (bytes - bytesAtMet.getOrDefault(r.id(), 0L) >= reset.afterBytes()) {
          reset(r);
          return Long.MAX_VALUE;
        }
      } else if (r.fault() instanceof Fault.Reset reset) {
        long at = metAt.getOrDefault(r.id(), now) + reset.afterTime().toNanos();
        if (at <= now) {
          reset(r);
          return Long.MAX_VALUE;
        }
        next = Math.min(next, at);
      } else if (r.fault() instanceof Fault.IdleCut cut) {
        // idle since the later of the last byte and the rule meeting this socket
        long since = Math.max(lastActivity, metAt.getOrDefault(r.id(), now));
        long at = since + cut.after().toNanos();
        if (at <= now) {
          cut(r);
          return Long.MAX_VALUE;
        }
        next = Math.min(next, at);
      }
    }
    return next;
  }

  private void reset(FaultRule rule) {
    LOG.info(
        () -> "fault " + rule.id() + ": resetting " + ctx.channel() + " (" + rule.describe() + ")");
    table.event(hop, rule.fault());
    finish();
    dropAll(in);
    failWrites(out);
    try {
      // SO_LINGER 0: the kernel answers the close with RST, not FIN
      ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
    } catch (RuntimeException notATcpSocket) {
      // closes plainly
    }
    ctx.close();
    closePending();
  }

  private void cut(FaultRule rule) {
    LOG.info(
        () ->
            "fault "
                + rule.id()
                + ": cutting idle "
                + ctx.channel()
                + " ("
                + rule.describe()
                + ")");
    table.event(hop, rule.fault());
    finish();
    dropAll(in);
    failWrites(out);
    ctx.close();
    closePending();
  }

  /** Completes a close that waited behind held writes which will never go now. */
  private void closePending() {
    if (pendingClose != null) {
      ChannelPromise close = pendingClose;
      pendingClose = null;
      ctx.close(close);
    }
  }

  /** No more faulting on this socket: its timer, listener and held reads are done with. */
  private void finish() {
    done = true;
    table.unlisten(listener);
    cancelWake();
    gateReads(false);
    setWritable(true);
  }

  // ---- back-pressure

  private void gateReads(boolean hold) {
    if (hold == readsHeld) {
      return;
    }
    var config = ctx.channel().config();
    if (hold) {
      readsHeld = true;
      restoreAutoRead = config.isAutoRead();
      readRequested = false;
      config.setAutoRead(false);
    } else {
      readsHeld = false;
      if (restoreAutoRead && !config.isAutoRead()) {
        config.setAutoRead(true); // which reads
      } else if (readRequested || config.isAutoRead()) {
        ctx.read();
      }
      readRequested = false;
    }
  }

  private void writability() {
    Channel ch = ctx.channel();
    if (out.bytes() >= ch.config().getWriteBufferHighWaterMark()) {
      setWritable(false);
    } else if (out.bytes() <= ch.config().getWriteBufferLowWaterMark()) {
      setWritable(true);
    }
  }

  private void setWritable(boolean writable) {
    if (writable != unwritable) {
      return;
    }
    ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
    unwritable = !writable;
    if (buffer != null) {
      buffer.setUserDefinedWritability(WRITABILITY_INDEX, writable);
      // Netty tells the pipeline in a later task; a writer looping now (Vert.x's
      // writeQueueFull()) must know before its next write, so tell the handlers above at once too
      // (they read isWritable(), so the second telling changes nothing)
      if (ctx.channel().isActive()) {
        ctx.fireChannelWritabilityChanged();
      }
    }
  }

  private void wrote(int n, long now) {
    if (n > 0) {
      bytes += n;
      lastActivity = now;
    }
  }

  // ---- timer

  private void schedule(long at) {
    if (at == Long.MAX_VALUE) {
      cancelWake();
      return;
    }
    if (wake != null && wakeAt <= at) {
      return;
    }
    cancelWake();
    wakeAt = at;
    wake =
        ctx.executor()
            .schedule(
                () -> {
                  wake = null;
                  wakeAt = Long.MAX_VALUE;
                  apply();
                },
                Math.max(0, at - System.nanoTime()),
                TimeUnit.NANOSECONDS);
  }

  private void cancelWake() {
    if (wake != null) {
      wake.cancel(false);
      wake = null;
      wakeAt = Long.MAX_VALUE;
    }
  }

  // ---- held messages

  private void releaseAll() {
    boolean reads = false;
    while (!in.isEmpty()) {
      Held h = in.poll();
      switch (h.kind()) {
        case READ -> {
          ctx.fireChannelRead(h.msg());
          reads = true;
        }
        case EVENT -> ctx.fireUserEventTriggered(h.msg());
        default -> ctx.fireChannelInactive();
      }
    }
    if (reads) {
      ctx.fireChannelReadComplete();
    }
    boolean writes = !out.isEmpty();
    while (!out.isEmpty()) {
      Held h = out.poll();
      ctx.write(h.msg(), h.promise());
    }
    if (writes) {
      ctx.flush();
    }
    if (pendingClose != null) {
      ctx.close(pendingClose);
      pendingClose = null;
    }
    gateReads(false);
    setWritable(true);
  }

  private static void dropAll(Lane lane) {
    while (!lane.isEmpty()) {
      ReferenceCountUtil.release(lane.poll().msg());
    }
  }

  private static void failWrites(Lane lane) {
    while (!lane.isEmpty()) {
      Held h = lane.poll();
      ReferenceCountUtil.release(h.msg());
      h.promise().tryFailure(new ClosedChannelException());
    }
  }

  private static int size(Object msg) {
    if (msg instanceof ByteBuf b) {
      return b.readableBytes();
    }
    return msg instanceof ByteBufHolder h ? h.content().readableBytes() : 0;
  }

  /** A message (or an inbound event) held, and when it arrived. */
  private record Held(int kind, Object msg, ChannelPromise promise, long at, int size) {}

  /** One direction's held messages, in order, and its token bucket. */
  private static final class Lane {
    private final ArrayDeque<Held> queue = new ArrayDeque<>();
    private long bytes;
    private double tokens;
    private long refilled;

    void add(Held h) {
      queue.add(h);
      bytes += h.size();
    }

    Held peek() {
      return queue.peek();
    }

    Held poll() {
      Held h = queue.poll();
      bytes -= h.size();
      return h;
    }

    void take(long rate) {
      Held h = poll();
      if (rate > 0) {
        tokens -= h.size();
      }
    }

    boolean isEmpty() {
      return queue.isEmpty();
    }

    long bytes() {
      return bytes;
    }

    /**
     * Adds what {@code rate} earned since the last refill, up to a burst of 50 ms' worth (a debt
     * left by a large message is paid before the next goes).
     */
    void refill(long now, long rate) {
      if (refilled == 0) {
        refilled = now;
        return;
      }
      tokens = Math.min(rate / 20.0, tokens + (now - refilled) * (rate / 1e9));
      refilled = now;
    }
  }

  /** What the matching rules add up to for one socket. */
  record Effective(
      long latencyNanos, boolean stall, long inRate, long outRate, List<FaultRule> cuts) {

    static final Effective NONE = new Effective(0, false, 0, 0, List.of());

    boolean shapesIn() {
      return latencyNanos > 0 || stall || inRate > 0;
    }

    boolean shapesOut() {
      return latencyNanos > 0 || stall || outRate > 0;
    }

    /**
     * The strongest of each: the longest latency, the lowest rates, any stall; every reset and cut.
     */
    static Effective of(List<FaultRule> rules, boolean readsTowardClient) {
      if (rules.isEmpty()) {
        return NONE;
      }
      long latency = 0;
      boolean stall = false;
      long bandwidth = 0;
      long slow = 0;
      List<FaultRule> cuts = new java.util.ArrayList<>();
      for (FaultRule r : rules) {
        Fault f = r.fault();
        if (f instanceof Fault.Latency l) {
          latency = Math.max(latency, l.delay().toNanos());
        } else if (f instanceof Fault.Stall) {
          stall = true;
        } else if (f instanceof Fault.Bandwidth b) {
          bandwidth = lowest(bandwidth, b.bytesPerSecond());
        } else if (f instanceof Fault.SlowReader sr) {
          slow = lowest(slow, sr.bytesPerSecond());
        } else {
          cuts.add(r); // reset, idle cut
        }
      }
      long towardClient = lowest(bandwidth, slow);
      return new Effective(
          latency,
          stall,
          readsTowardClient ? towardClient : bandwidth,
          readsTowardClient ? bandwidth : towardClient,
          List.copyOf(cuts));
    }

    private static long lowest(long a, long b) {
      return a == 0 ? b : b == 0 ? a : Math.min(a, b);
    }
  }
}
