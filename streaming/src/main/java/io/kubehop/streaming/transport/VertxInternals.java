package io.kubehop.streaming.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The one place that reaches into Vert.x internals ({@code io.vertx.core.internal}, {@code
 * io.vertx.core.http.impl}): the Netty channel under a socket, the pipeline under an HTTP/1.1
 * server connection, and the event loop of a context.
 *
 * <p>Why internals at all: a half-close (TCP FIN), back-pressure that keeps a socket's end behind
 * its data, a pipeline handler that rewrites POST upgrades, removing the idle handler of a hijacked
 * connection, and asking "am I on this context's event loop" have no public Vert.x 5 API. Each use
 * degrades gracefully when the object is not the expected implementation (an empty result), so a
 * Vert.x upgrade that moves these types breaks one class, and its tests say so. An ArchUnit rule
 * keeps every other class out of these packages.
 */
public final class VertxInternals {

  private VertxInternals() {
    throw new AssertionError("No instances.");
  }

  /** The Netty channel under {@code socket}, if it is Vert.x's own implementation. */
  public static Optional<Channel> channel(NetSocket socket) {
    return socket instanceof NetSocketInternal internal
        ? Optional.of(internal.channelHandlerContext().channel())
        : Optional.empty();
  }

  /**
   * Stops or restarts Netty reading {@code socket} (its channel's auto-read); false, doing nothing,
   * when the socket is not Vert.x's own. A back-pressure that, unlike {@link NetSocket#pause()},
   * keeps the end behind the data: a paused Vert.x 5 connection parks what Netty still reads in a
   * queue of its own, and the end of a peer that closes then overtakes those bytes. With auto-read
   * off nothing more is read, not even the end.
   */
  public static boolean autoRead(NetSocket socket, boolean on) {
    return channel(socket)
        .map(
            c -> {
              c.config().setAutoRead(on);
              return true;
            })
        .orElse(false);
  }

  /**
   * Keeps {@code socket} open for writing after the peer's FIN (Netty's {@code ALLOW_HALF_CLOSURE},
   * which Vert.x leaves off, so an EOF closes the whole connection and whatever was still to be
   * written back is lost: {@code echo ruok | nc} through a port-forward). {@code onInputShutdown}
   * runs after the last byte read; the socket's end handler no longer does. False, doing nothing,
   * when the socket is not Vert.x's own.
   */
  public static boolean allowHalfClosure(NetSocket socket, Runnable onInputShutdown) {
    if (!(socket instanceof NetSocketInternal internal)) {
      return false;
    }
    internal.eventHandler(
        event -> {
          if (event instanceof ChannelInputShutdownEvent) {
            onInputShutdown.run();
          }
        });
    internal
        .channelHandlerContext()
        .channel()
        .config()
        .setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    return true;
  }

  /**
   * Closes {@code socket} when its TLS peer sends close_notify, the TLS form of a half-close (what
   * {@link LingeringClose} sends over TLS, and Go's {@code tls.Conn.CloseWrite}). Netty reports
   * close_notify only as an event and keeps the connection open, so a splice waiting for that
   * peer's end would wait until the peer's linger time ran out: over TLS, every ended SPDY exec
   * held its apiserver-to-kubelet and kubelet-to-runtime sockets for 5 minutes. Closing ends the
   * input as a FIN does without TLS: the socket's end handler still runs behind the data read
   * before. False, doing nothing, when the socket is not Vert.x's own. Takes the socket's one event
   * handler, as {@link #allowHalfClosure} does: a socket gets one of the two.
   */
  public static boolean closeOnTlsCloseNotify(NetSocket socket) {
    if (!(socket instanceof NetSocketInternal internal)) {
      return false;
    }
    Channel channel = internal.channelHandlerContext().channel();
    internal.eventHandler(
        event -> {
          if (event instanceof SslCloseCompletionEvent closed && closed.isSuccess()) {
            // Not at once: Netty's SslHandler reports close_notify while it still holds the
            // application data it decoded from the same read, and passes that data on only after.
            // A task queued now runs after it, so the end stays behind the last byte.
            channel.eventLoop().execute(socket::close);
          }
        });
    return true;
  }

  /**
   * The Netty channel under an HTTP/1.1 connection, server or client side; empty for another
   * implementation.
   */
  public static Optional<Channel> channel(HttpConnection connection) {
    return connection instanceof ConnectionBase base
        ? Optional.of(base.channel())
        : Optional.empty();
  }

  /**
   * The Netty pipeline of an HTTP/1.1 server connection; empty for HTTP/2 or another
   * implementation.
   */
  public static Optional<ChannelPipeline> pipeline(HttpConnection connection) {
    return connection instanceof HttpServerConnection internal
        ? Optional.of(internal.channelHandlerContext().pipeline())
        : Optional.empty();
  }

  /**
   * The caller runs on {@code context}'s event-loop thread. Not {@code currentContext() ==
   * context}: Vert.x 5 runs request handlers and their callbacks on duplicated contexts of the same
   * loop, and an identity check would defer work made from them (writes would then lag behind
   * {@code writeQueueFull()}, and back-pressure would not hold).
   */
  public static boolean inEventLoop(Context context) {
    return ((ContextInternal) context).nettyEventLoop().inEventLoop();
  }

  /**
   * The name of Vert.x's own handler in the pipeline under {@code socket} (its last), for a handler
   * that must see reads before Vert.x copies them; empty when the socket is not Vert.x's own.
   */
  public static Optional<String> vertxHandlerName(NetSocket socket) {
    return socket instanceof NetSocketInternal internal
        ? Optional.of(internal.channelHandlerContext().name())
        : Optional.empty();
  }

  /** A Vert.x buffer over {@code buf}'s readable bytes, sharing its memory (no copy, no retain). */
  public static Buffer view(ByteBuf buf) {
    return BufferInternal.buffer(buf);
  }

  /**
   * The readable bytes of {@code buffer} as NIO buffers over its own memory, for a channel write
   * without a copy into a {@code byte[]} first ({@link Buffer#getBytes()} copies); a copy only when
   * the buffer is not Vert.x's own implementation.
   */
  public static ByteBuffer[] nioBuffers(Buffer buffer) {
    return buffer instanceof BufferInternal internal
        ? internal.getByteBuf().nioBuffers()
        : new ByteBuffer[] {ByteBuffer.wrap(buffer.getBytes())};
  }
}
