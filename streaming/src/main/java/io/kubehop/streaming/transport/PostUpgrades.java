package io.kubehop.streaming.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.logging.Logger;

/**
 * Lets a Vert.x {@link HttpServer} accept {@code POST} upgrades, which kubectl uses for SPDY exec,
 * attach and port-forward.
 *
 * <p>Vert.x 5.0.7 only tunnels {@code GET} upgrades: {@code HttpServerRequest#toNetSocket()} fails
 * a POST with "HTTP method must be CONNECT or an HTTP upgrade…". This installs a tiny handler right
 * after Netty's HTTP decoder that rewrites a POST carrying {@code Connection: upgrade} and {@code
 * Upgrade: SPDY/3.1} to GET and remembers the original method in {@link #ORIGINAL_METHOD_HEADER};
 * {@link #method(HttpServerRequest)} reads it back. It relies on the connection's pipeline (from
 * {@link VertxInternals}) and Vert.x's handler name {@code httpDecoder}, and is covered by a test.
 * The server must have h2c disabled ({@link #configure(HttpServerOptions)}): with h2c the
 * connection handler runs only after the first request was already decoded.
 */
public final class PostUpgrades {

  /** Request header in which the rewritten request keeps its original method. */
  public static final String ORIGINAL_METHOD_HEADER = "X-Kubehop-Original-Method";

  private static final Logger LOG = Logger.getLogger(PostUpgrades.class.getName());
  private static final String HANDLER_NAME = "kubehopPostUpgrade";

  private PostUpgrades() {
    throw new AssertionError("No instances.");
  }

  /** Disables h2c on {@code options}, which this rewrite requires, and returns them. */
  public static HttpServerOptions configure(HttpServerOptions options) {
    return options.setHttp2ClearTextEnabled(false);
  }

  /** Installs the rewrite on every connection of {@code server}; call before {@code listen}. */
  public static HttpServer install(HttpServer server) {
    server.connectionHandler(PostUpgrades::install);
    return server;
  }

  /**
   * Installs the rewrite on one connection (for servers that already have a connection handler).
   */
  public static void install(HttpConnection connection) {
    ChannelPipeline pipeline = VertxInternals.pipeline(connection).orElse(null);
    if (pipeline == null) {
      return; // HTTP/2 or an unknown implementation: nothing to rewrite
    }
    if (pipeline.get("httpDecoder") == null || pipeline.get(HANDLER_NAME) != null) {
      LOG.fine(
          "no HTTP/1.1 decoder in the pipeline; POST upgrades stay unsupported on this connection");
      return;
    }
    pipeline.addAfter("httpDecoder", HANDLER_NAME, new Rewriter());
  }

  /** The request's method before any rewrite: {@code POST} for a rewritten kubectl upgrade. */
  public static String method(HttpServerRequest request) {
    String original = request.getHeader(ORIGINAL_METHOD_HEADER);
    return original != null ? original : request.method().name();
  }

  /**
   * True for SPDY upgrades, the only kind this class touches: WebSocket upgrades are handshaken by
   * Vert.x with the real decoder in place, and others (e.g. {@code h2c}) are answered as ordinary
   * requests.
   */
  static boolean isSpdyUpgrade(HttpRequest request) {
    return UpgradeHeaders.isUpgradeTo(request.headers()::getAll, UpgradeHeaders.SPDY_31);
  }

  /** True if the request head is all there is (kubectl sends {@code Content-Length: 0}). */
  static boolean hasNoBody(HttpRequest request) {
    String length = request.headers().get("Content-Length");
    return !request.headers().contains("Transfer-Encoding")
        && (length == null || length.trim().equals("0"));
  }

  /**
   * Rewrites POST upgrades to GET, and keeps the bytes that follow an upgrade request.
   *
   * <p>Why the second part: a client may send its first SPDY frames right behind the request head,
   * in the same TCP segment. When Vert.x takes the socket over it removes the HTTP decoder, which
   * hands its unread bytes to the next handler while the HTTP connection handler is still in place,
   * so they were dropped; and if the application calls {@code toNetSocket()} later (after some
   * asynchronous work), the decoder would parse those bytes as the next HTTP request. So from the
   * head of a (body-less) SPDY upgrade request on, raw bytes are held here; once the request is
   * complete the decoder is swapped for a pass-through {@link Placeholder} of the same name; and
   * when Vert.x has finished its switch (the decoder or placeholder is gone) the held bytes are
   * released to the socket. If the upgrade is refused instead (a non-101 answer), the connection is
   * closed after that answer, since its HTTP decoding can no longer be trusted.
   */
  private static final class Rewriter extends ChannelDuplexHandler {
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private boolean holding;
    private boolean refused;
    private boolean releaseScheduled;
    private boolean closing;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest request) {
        // A client must not smuggle its own value in; only this rewrite sets it.
        request.headers().remove(ORIGINAL_METHOD_HEADER);
        boolean upgrade = isSpdyUpgrade(request);
        if (request.method() == HttpMethod.POST && upgrade) {
          request.setMethod(HttpMethod.GET);
          request.headers().set(ORIGINAL_METHOD_HEADER, "POST");
        }
        holding = upgrade && hasNoBody(request);
        ctx.fireChannelRead(msg);
      } else if (msg instanceof HttpObject) {
        ChannelHandler decoder = ctx.pipeline().get("httpDecoder");
        if (holding && decoder == null) {
          ReferenceCountUtil.release(msg); // Vert.x already switched to a socket
          return;
        }
        if (holding && msg instanceof LastHttpContent && !(decoder instanceof Placeholder)) {
          ctx.pipeline()
              .replace("httpDecoder", "httpDecoder", new Placeholder(() -> scheduleRelease(ctx)));
        }
        ctx.fireChannelRead(msg);
      } else if (holding) {
        held.add(msg);
        if (ctx.pipeline().get("httpDecoder") == null) {
          scheduleRelease(ctx);
        }
      } else {
        ctx.fireChannelRead(msg);
      }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      // Outbound bytes here are already encoded by Vert.x: look at the status line of the answer.
      if (holding
          && !refused
          && msg instanceof ByteBuf bytes
          && bytes.readableBytes() >= 12
          && bytes
              .toString(bytes.readerIndex(), 12, StandardCharsets.US_ASCII)
              .startsWith("HTTP/1.1 ")
          && !bytes.toString(bytes.readerIndex(), 12, StandardCharsets.US_ASCII).endsWith("101")) {
        refused = true;
      }
      ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      ctx.flush();
      if (refused && !closing) {
        closing = true; // Vert.x writes with void promises: close behind an empty write of our own
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      }
    }

    /**
     * Releases after the current pipeline surgery has completed (it runs synchronously on this
     * event loop).
     */
    private void scheduleRelease(ChannelHandlerContext ctx) {
      if (releaseScheduled) {
        return;
      }
      releaseScheduled = true;
      ctx.executor()
          .execute(
              () -> {
                if (ctx.isRemoved() || refused) {
                  return;
                }
                holding = false;
                boolean any = !held.isEmpty();
                while (!held.isEmpty()) {
                  ctx.fireChannelRead(held.poll());
                }
                if (any) {
                  ctx.fireChannelReadComplete();
                }
              });
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      held.forEach(ReferenceCountUtil::release);
      held.clear();
    }
  }

  /**
   * Stands in for the HTTP decoder after an upgrade request; Vert.x removes it when the socket is
   * taken over.
   */
  private static final class Placeholder extends ChannelInboundHandlerAdapter {
    private final Runnable onRemoved;

    Placeholder(Runnable onRemoved) {
      this.onRemoved = onRemoved;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      onRemoved.run();
    }
  }
}
