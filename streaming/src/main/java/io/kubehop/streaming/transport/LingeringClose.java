package io.kubehop.streaming.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Ends one side of a byte splice whose other side ended: flush what is queued, send FIN
 * (half-close), then read and discard until the peer closes, and only then close the socket.
 *
 * <p>Why not just close: closing a TCP socket whose receive queue holds unread bytes makes the
 * kernel send RST instead of FIN, and an RST makes the peer's kernel throw away what it received
 * and its application had not read yet, i.e. the tail of the stream this splice just delivered.
 * After the linger time the socket is closed with an empty receive queue, so the kernel still
 * delivers what is queued, with FIN: a peer that never closes costs a socket for that long, not
 * forever. Over TLS the half-close is a close_notify alert, then FIN.
 */
public final class LingeringClose {

  /** How long to wait for the peer's close after the half-close. */
  public static final Duration DEFAULT_LINGER = Duration.ofMinutes(5);

  private LingeringClose() {}

  /**
   * Half-closes {@code socket} once the writes queued so far are written, then waits for the peer
   * to close it, at most {@code linger}. Its handlers are replaced (input is discarded), except the
   * close handler, which still fires once. Completes when the socket is closed.
   */
  public static Future<Void> halfClose(NetSocket socket, Duration linger) {
    Channel channel = VertxInternals.channel(socket).orElse(null);
    if (channel == null) {
      return socket.close();
    }
    Promise<Void> closed = Promise.promise();
    ScheduledFuture<?> timer =
        channel.eventLoop().schedule(socket::close, linger.toMillis(), TimeUnit.MILLISECONDS);
    channel
        .closeFuture()
        .addListener(
            f -> {
              timer.cancel(false);
              closed.tryComplete();
            });
    socket.handler(discarded -> {});
    socket.endHandler(v -> socket.close());
    socket.exceptionHandler(e -> socket.close());
    socket.drainHandler(null);
    // Writes complete in order: when this empty one is written, every byte queued before it is in
    // the kernel.
    socket
        .write(Buffer.buffer())
        .onComplete(
            ar -> {
              if (ar.failed() || !channel.isActive()) {
                socket.close();
              } else {
                shutdownOutput(channel)
                    .addListener(
                        f -> {
                          if (!f.isSuccess()) {
                            socket.close();
                          }
                        });
              }
            });
    socket.resume();
    return closed.future();
  }

  private static io.netty.util.concurrent.Future<Void> shutdownOutput(Channel channel) {
    SslHandler tls = channel.pipeline().get(SslHandler.class);
    if (tls == null) {
      return channel instanceof DuplexChannel duplex ? duplex.shutdownOutput() : channel.close();
    }
    // close_notify, then the TCP FIN behind it: a Go client reads close_notify as the end, but
    // Vert.x and Netty ignore it and would wait for the FIN (a kubehop client behind the
    // apiserver's splice of a kubelet-translated WebSocket then hung until the linger ran out)
    ChannelPromise done = channel.newPromise();
    tls.closeOutbound()
        .addListener(
            notified -> {
              if (!notified.isSuccess() || !channel.isActive()) {
                done.tryFailure(
                    notified.cause() != null ? notified.cause() : new ClosedChannelException());
              } else if (channel instanceof DuplexChannel duplex) {
                duplex.shutdownOutput().addListener(f -> done.trySuccess());
              } else {
                done.trySuccess();
              }
            });
    return done;
  }
}
