package io.kubehop.streaming.transport;

import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Ends a connection without destroying what is still on its way to the peer. Two ways, both bounded by a linger time
 * and both reading (and discarding) until the peer closes:
 *
 * <ul>
 *   <li>{@link #afterPeer}: send nothing more, let the peer close first. What a SPDY server must do after GOAWAY:
 *       spdystream (kubectl, client-go) ends every stream the moment its read loop sees EOF, and drops the DATA
 *       frames still queued in its frame workers, so a FIN from the server cuts the tail of stdout from a client that
 *       reads slowly. Kubernetes' httpstream connection Close waits the same way, on the read loop's end.
 *   <li>{@link #halfClose}: flush, send FIN, then wait for the peer's close. What a byte splice does once its other
 *       side ended.
 * </ul>
 *
 * <p>Why keep reading: closing a TCP socket whose receive queue holds unread bytes makes the kernel send RST instead
 * of FIN, and an RST makes the peer's kernel throw away what it received and its application had not read yet.
 * After the linger time the socket is closed with an empty receive queue, so the kernel still delivers what is
 * queued, with FIN: a client that never closes costs a socket for that long, not forever. Over TLS the half-close is
 * a close_notify alert instead of FIN.
 */
public final class LingeringClose {

  /**
   * How long to wait for the peer's close. Upstream waits without bound (only the 4 h streaming idle timeout ends
   * it); a client that reads at any pace is done with the last few MiB in kernel buffers well within this.
   */
  public static final Duration DEFAULT_LINGER = Duration.ofMinutes(5);

  private LingeringClose() {
  }

  /**
   * Waits for the peer to close {@code socket}, at most {@code linger}, then closes it. Its handlers are replaced
   * (input is discarded), except the close handler, which still fires once. Completes when the socket is closed.
   */
  public static Future<Void> afterPeer(NetSocket socket, Duration linger) {
    return linger(socket, linger, false);
  }

  /** Like {@link #afterPeer}, but half-closes first, once the writes queued so far are written. */
  public static Future<Void> halfClose(NetSocket socket, Duration linger) {
    return linger(socket, linger, true);
  }

  private static Future<Void> linger(NetSocket socket, Duration linger, boolean halfClose) {
    if (!(socket instanceof NetSocketInternal internal)) {
      return socket.close();
    }
    Channel channel = internal.channelHandlerContext().channel();
    Promise<Void> closed = Promise.promise();
    ScheduledFuture<?> timer = channel.eventLoop().schedule(socket::close, linger.toMillis(), TimeUnit.MILLISECONDS);
    channel.closeFuture().addListener(f -> {
      timer.cancel(false);
      closed.tryComplete();
    });
    socket.handler(discarded -> { });
    socket.endHandler(v -> socket.close());
    socket.exceptionHandler(e -> socket.close());
    socket.drainHandler(null);
    if (halfClose) {
      // Writes complete in order: when this empty one is written, every byte queued before it is in the kernel.
      socket.write(Buffer.buffer()).onComplete(ar -> {
        if (ar.failed() || !channel.isActive()) {
          socket.close();
        } else {
          shutdownOutput(channel).addListener(f -> {
            if (!f.isSuccess()) {
              socket.close();
            }
          });
        }
      });
    }
    socket.resume();
    return closed.future();
  }

  private static io.netty.util.concurrent.Future<Void> shutdownOutput(Channel channel) {
    SslHandler tls = channel.pipeline().get(SslHandler.class);
    if (tls != null) {
      tls.closeOutbound();
      return channel.newSucceededFuture();
    }
    if (channel instanceof DuplexChannel duplex) {
      return duplex.shutdownOutput();
    }
    return channel.close();
  }
}
