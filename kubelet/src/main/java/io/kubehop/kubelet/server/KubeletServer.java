package io.kubehop.kubelet.server;

import io.kubehop.streaming.proxy.TunnelingHandler;
import io.kubehop.streaming.transport.PostUpgrades;
import io.kubehop.streaming.transport.TlsFiles;
import io.kubehop.streaming.websocket.ChannelHandshake;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The kubelet's HTTP/1.1 server on {@code --address:--port} (by default the {@code --node-ip}): a
 * registry of {@link KubeletRoute}s keyed by the first path segment ({@code healthz}, {@code pods},
 * {@code containerLogs}, {@code exec}, {@code attach}; later {@code portForward}). {@link
 * PostUpgrades} is installed so that kubectl's SPDY {@code POST} upgrades can be taken over (Vert.x
 * tunnels only GET); it needs h2c off, so that its connection handler sees every request from the
 * first byte (docs/design.md, Vert.x constraints).
 */
public final class KubeletServer {

  private static final Logger LOG = Logger.getLogger(KubeletServer.class.getName());

  /**
   * Upstream's {@code IdleTimeout} of the kubelet server (keep-alive connections between requests).
   */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(90);

  /** Upstream's {@code MaxHeaderBytes} ({@code ListenAndServeKubeletServer}). */
  static final int MAX_HEADER_BYTES = 1 << 20;

  private final Vertx vertx;
  private final Duration idleTimeout;
  private final Map<String, KubeletRoute> routes = new ConcurrentHashMap<>();
  private HttpServer server;
  private TlsFiles tls;
  private CallerAuthorizer callers;

  public KubeletServer(Vertx vertx) {
    this(vertx, DEFAULT_IDLE_TIMEOUT);
  }

  /**
   * With another idle timeout for keep-alive connections (tests). A proxied stream lifts it from
   * its connection ({@link io.kubehop.streaming.transport.UpgradedConnections}).
   */
  public KubeletServer(Vertx vertx, Duration idleTimeout) {
    this.vertx = vertx;
    this.idleTimeout = idleTimeout;
  }

  /**
   * Serves HTTPS with {@code tls}; with its client CA, only the client certificates whose CN is
   * among {@code users} get past the health check (call before {@link #listen}).
   */
  public KubeletServer secured(TlsFiles tls, Set<String> users) {
    this.tls = tls;
    this.callers = tls.caFile() == null ? null : new CallerAuthorizer(users);
    return this;
  }

  /** Registers the handler of {@code /<firstSegment>/…}; replaces any earlier one. */
  public KubeletServer route(String firstSegment, KubeletRoute route) {
    routes.put(firstSegment, route);
    return this;
  }

  /** Listens; the future carries the actual port (useful with port 0). */
  public Future<Integer> listen(String host, int port) {
    // Upstream's MaxHeaderBytes is 1 MiB for the request line and headers together; Vert.x's
    // defaults (4 KiB line,
    // 8 KiB headers) would refuse an exec whose command (every argument a query value) is a few KiB
    // long.
    // WebSocket frames up to a whole SPDY frame (tunnels) and the channel.k8s.io subprotocols
    HttpServerOptions options =
        TunnelingHandler.configure(
            ChannelHandshake.configure(
                PostUpgrades.configure(new HttpServerOptions())
                    .setMaxInitialLineLength(MAX_HEADER_BYTES)
                    .setMaxHeaderSize(MAX_HEADER_BYTES)
                    .setIdleTimeout((int) idleTimeout.toMillis())
                    .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)));
    if (tls != null) {
      tls.server(options);
    }
    server = vertx.createHttpServer(options);
    PostUpgrades.install(server).requestHandler(this::dispatch);
    return server.listen(port, host).map(HttpServer::actualPort);
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void dispatch(HttpServerRequest req) {
    List<String> segments = segments(req.path());
    if (callers != null && !callers.admit(req, segments.isEmpty() ? "" : segments.get(0))) {
      return;
    }
    KubeletRoute route = segments.isEmpty() ? null : routes.get(segments.get(0));
    if (route == null) {
      Responses.text(req, 404, "404 page not found\n");
      return;
    }
    try {
      route.handle(req, segments.subList(1, segments.size()));
    } catch (RuntimeException e) {
      LOG.warning("request " + req.method() + " " + req.uri() + " failed: " + e);
      Responses.text(req, 500, "Internal Error: " + e.getMessage());
    }
  }

  static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
