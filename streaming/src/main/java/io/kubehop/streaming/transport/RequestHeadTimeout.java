package io.kubehop.streaming.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.vertx.core.http.HttpConnection;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Bounds the time a client may take to send the head (request line and header lines) of the first
 * request of a connection: a connection whose head is not complete in time is closed without an
 * answer. This is Go's {@code http.Server.ReadHeaderTimeout}, which upstream's apiserver sets to 32
 * s ({@code k8s.io/apiserver/pkg/server/secure_serving.go}); Go closes such a connection without a
 * response too. Without it a client that sends one header byte a second (slowloris) holds its
 * connection, and its buffers, for as long as it likes: the tiers run with no idle timeout.
 *
 * <p>Only the first request is bounded: once its head is decoded the guard removes itself, so an
 * upgraded stream (SPDY, WebSocket) and the body of a request are not affected. How long an idle
 * keep-alive connection waits for its next request is an idle timeout, a separate setting.
 */
public final class RequestHeadTimeout {

  /** Upstream's {@code ReadHeaderTimeout}. */
  public static final Duration UPSTREAM = Duration.ofSeconds(32);

  private static final Logger LOG = Logger.getLogger(RequestHeadTimeout.class.getName());
  private static final String HANDLER_NAME = "kubehopRequestHeadTimeout";

  private RequestHeadTimeout() {
    throw new AssertionError("No instances.");
  }

  /**
   * Arms the timeout on one new HTTP/1.1 connection; {@code timeout} zero or negative: none. Call
   * from the server's connection handler.
   */
  public static void install(HttpConnection connection, Duration timeout) {
    if (timeout == null || timeout.isZero() || timeout.isNegative()) {
      return;
    }
    ChannelPipeline pipeline = VertxInternals.pipeline(connection).orElse(null);
    if (pipeline == null
        || pipeline.get("httpDecoder") == null
        || pipeline.get(HANDLER_NAME) != null) {
      return; // HTTP/2 or no HTTP/1.1 decoder: nothing to guard
    }
    pipeline.addAfter("httpDecoder", HANDLER_NAME, new Guard(timeout.toMillis()));
  }

  /** Sits behind the HTTP decoder: the first decoded request head disarms and removes it. */
  private static final class Guard extends ChannelInboundHandlerAdapter {
    private final long millis;
    private ScheduledFuture<?> timer;

    Guard(long millis) {
      this.millis = millis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      timer =
          ctx.executor()
              .schedule(
                  () -> {
                    LOG.fine(
                        () ->
                            "no complete request head from "
                                + ctx.channel().remoteAddress()
                                + " within "
                                + millis
                                + " ms: closing the connection");
                    ctx.close();
                  },
                  millis,
                  TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest) {
        disarm();
        ctx.pipeline().remove(this);
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      disarm();
      ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      disarm();
    }

    private void disarm() {
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
    }
  }
}
