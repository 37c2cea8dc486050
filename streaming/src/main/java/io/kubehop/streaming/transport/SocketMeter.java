package io.kubehop.streaming.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;

/**
 * Counts what crosses one socket, at the head of its Netty pipeline, so as the kernel sees it:
 * every byte read from and written to the socket (framing, and TLS records once there is TLS,
 * included), when the last one went either way, and whether either direction was shut down (a
 * half-close). One meter per channel, however many sessions in turn use a kept-alive connection;
 * each session reads it through a {@link Reading} that starts at zero when the session does.
 *
 * <p>Written on the channel's event loop only, read from any thread (an inspector's request).
 */
public final class SocketMeter extends ChannelDuplexHandler {

  static final String NAME = "kubehop-socket-meter";

  private volatile long bytesIn;
  private volatile long bytesOut;
  private volatile long lastActivityNanos = System.nanoTime();

  private SocketMeter() {}

  /**
   * A reading of {@code channel}'s meter, which is put at the head of its pipeline the first time.
   * The reading starts when the meter is in place: at once on the channel's event loop, else as
   * soon as that loop runs the task (until then it reads zero).
   */
  public static Reading on(Channel channel) {
    Reading reading = new Reading(channel);
    if (channel.eventLoop().inEventLoop()) {
      reading.start(install(channel));
    } else {
      try {
        channel.eventLoop().execute(() -> reading.start(install(channel)));
      } catch (RejectedExecutionException loopShutDown) {
        // the channel is gone with its loop: the reading stays at zero
      }
    }
    return reading;
  }

  /** On the event loop: a handler added there is in place at once, not pending. */
  private static SocketMeter install(Channel channel) {
    SocketMeter meter = (SocketMeter) channel.pipeline().get(NAME);
    if (meter == null) {
      meter = new SocketMeter();
      channel.pipeline().addFirst(NAME, meter);
    }
    return meter;
  }

  /** {@link #on(Channel)} for the channel under a Vert.x socket; empty for another kind. */
  public static Optional<Reading> on(io.vertx.core.net.NetSocket socket) {
    return VertxInternals.channel(socket).map(SocketMeter::on);
  }

  /** {@link #on(Channel)} for the channel under an HTTP/1.1 connection; empty for another kind. */
  public static Optional<Reading> on(io.vertx.core.http.HttpConnection connection) {
    return VertxInternals.channel(connection).map(SocketMeter::on);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    long n = size(msg);
    if (n > 0) {
      bytesIn += n; // event loop only
      lastActivityNanos = System.nanoTime();
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    long n = size(msg);
    if (n > 0) {
      bytesOut += n; // event loop only
      lastActivityNanos = System.nanoTime();
    }
    ctx.write(msg, promise);
  }

  private static long size(Object msg) {
    if (msg instanceof ByteBuf b) {
      return b.readableBytes();
    }
    return msg instanceof ByteBufHolder h ? h.content().readableBytes() : 0;
  }

  /**
   * One session's view of a socket's meter: the bytes since it began, the time since the last byte,
   * and the half-close state.
   */
  public static final class Reading {
    private final Channel channel;
    private volatile SocketMeter meter;
    private long inAtStart;
    private long outAtStart;
    private boolean tls;

    private Reading(Channel channel) {
      this.channel = channel;
    }

    private void start(SocketMeter meter) {
      // Read while the channel is live: a closed channel's pipeline is emptied.
      tls = channel.pipeline().get(SslHandler.class) != null;
      inAtStart = meter.bytesIn;
      outAtStart = meter.bytesOut;
      this.meter = meter; // volatile write after the baseline: a reader sees both
    }

    /** Bytes read from the socket since this reading began. */
    public long bytesIn() {
      SocketMeter m = meter;
      return m == null ? 0 : m.bytesIn - inAtStart;
    }

    /** Bytes written to the socket since this reading began. */
    public long bytesOut() {
      SocketMeter m = meter;
      return m == null ? 0 : m.bytesOut - outAtStart;
    }

    /** Time since the last byte either way (zero until the meter is in place). */
    public Duration idle() {
      SocketMeter m = meter;
      return m == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - m.lastActivityNanos);
    }

    /**
     * {@code in} when the peer ended its sending (its FIN was read) while this side may still
     * write, {@code out} when this side ended its sending (sent FIN: a lingering close) and still
     * reads, {@code both} when both did but the socket is not closed yet; empty while neither
     * direction is shut, and once the socket is closed.
     */
    public Optional<String> halfClosed() {
      if (!channel.isOpen() || !(channel instanceof DuplexChannel duplex)) {
        return Optional.empty();
      }
      boolean in = duplex.isInputShutdown();
      boolean out = duplex.isOutputShutdown();
      return in && out
          ? Optional.of("both")
          : in ? Optional.of("in") : out ? Optional.of("out") : Optional.empty();
    }

    /**
     * Whether the socket carries TLS (a TLS handler was in its pipeline when the reading began).
     */
    public boolean tls() {
      return meter != null && tls; // the volatile read of meter publishes tls
    }

    /** Whether the socket is still open. */
    public boolean open() {
      return channel.isOpen();
    }

    /** The socket's channel, for a handler that acts on it beside the meter (a fault's). */
    public Channel channel() {
      return channel;
    }
  }
}
