package io.kubehop.streaming.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * One direction of a splice done in Netty's pipeline: each buffer read from one channel is written
 * to the other as it is, pooled and off-heap, with no copy in user space. Through a Vert.x {@link
 * NetSocket} handler every read is first copied into a fresh heap buffer (Vert.x's {@code
 * safeBuffer}, which protects handlers that keep a buffer) and then copied back off-heap for the
 * write: profiled on the bulk exec path, those copies were the largest item of the splicing tiers'
 * own CPU.
 *
 * <p>The handler sits just before Vert.x's own, so the byte meter and any fault handler ahead of it
 * see every byte, and the end of the input (FIN, close_notify, reset) still reaches the socket's
 * handlers, behind the last byte: each read is written to the peer before the next event of the
 * channel is passed on. Back-pressure: when the peer's channel stops being writable this channel's
 * auto-read goes off, and back on when the peer drains (the peer's handler tells). A reader (the
 * error-stream watch) sees each buffer before it is written, and must not keep it.
 *
 * <p>Until {@link #activate()} the handler passes everything on to Vert.x: bytes read before the
 * splice began may wait in the socket's queue, and must go first.
 */
public final class DirectSplice extends ChannelDuplexHandler {

  static final String NAME = "kubehop-direct-splice";

  private final Channel peer;
  private final IntConsumer counter;
  private final Consumer<Buffer> reader;
  private DirectSplice reverse; // the handler reading the peer, which this channel's drain resumes
  private ChannelHandlerContext ctx;
  private boolean active;
  private boolean unflushed;
  private boolean pausedHere; // this handler turned auto-read off

  private DirectSplice(Channel peer, IntConsumer counter, Consumer<Buffer> reader) {
    this.peer = peer;
    this.counter = counter;
    this.reader = reader;
  }

  /**
   * The two directions between {@code a} and {@code b}, installed inactive on their pipelines; null
   * when either socket is not Vert.x's own or the two do not share one event loop (then the caller
   * relays through Vert.x as before). Call on that event loop.
   */
  public static Pair install(
      NetSocket a,
      NetSocket b,
      IntConsumer countAToB,
      Consumer<Buffer> readAToB,
      IntConsumer countBToA,
      Consumer<Buffer> readBToA) {
    String beforeA = VertxInternals.vertxHandlerName(a).orElse(null);
    String beforeB = VertxInternals.vertxHandlerName(b).orElse(null);
    Channel ca = VertxInternals.channel(a).orElse(null);
    Channel cb = VertxInternals.channel(b).orElse(null);
    if (beforeA == null
        || beforeB == null
        || ca == null
        || cb == null
        || ca.eventLoop() != cb.eventLoop()
        || !ca.eventLoop().inEventLoop()) {
      return null;
    }
    DirectSplice aToB = new DirectSplice(cb, countAToB, readAToB);
    DirectSplice bToA = new DirectSplice(ca, countBToA, readBToA);
    aToB.reverse = bToA;
    bToA.reverse = aToB;
    ca.pipeline().addBefore(beforeA, NAME, aToB);
    cb.pipeline().addBefore(beforeB, NAME, bToA);
    return new Pair(aToB, bToA);
  }

  /** Both directions of one splice. */
  public record Pair(DirectSplice aToB, DirectSplice bToA) {}

  /** From now on, reads bypass Vert.x. On the channels' event loop. */
  public void activate() {
    active = true;
  }

  public boolean isActive() {
    return active;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!active || !(msg instanceof ByteBuf buf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    int n = buf.readableBytes();
    if (n == 0) {
      buf.release();
      return;
    }
    if (!peer.isActive()) {
      // The other side is gone: what still arrives goes nowhere, and reading goes on, so that this
      // side's own end is seen and its socket closed. Pausing here for a peer that can never drain
      // held the socket open until the lingering close gave up (KillTierIT: an apiserver fd left
      // after a runtime was killed under a port-forward).
      buf.release();
      return;
    }
    counter.accept(n);
    // The view shares the buffer's memory, valid until the write below releases it.
    reader.accept(VertxInternals.view(buf.slice()));
    peer.write(buf, peer.voidPromise());
    unflushed = true;
    if (!peer.isWritable()) {
      flush();
      if (!peer.isWritable() && ctx.channel().config().isAutoRead()) {
        pausedHere = true;
        ctx.channel().config().setAutoRead(false);
      }
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    flush();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    flush(); // what was read goes out before the socket's end handler half-closes the peer
    reverse.peerDrained(); // the peer's reads, if paused for this channel, must go on to its end
    super.channelInactive(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    flush();
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable()) {
      reverse.peerDrained();
    }
    super.channelWritabilityChanged(ctx);
  }

  private void peerDrained() {
    if (pausedHere && ctx != null) {
      pausedHere = false;
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void flush() {
    if (unflushed) {
      unflushed = false;
      peer.flush();
    }
  }
}
