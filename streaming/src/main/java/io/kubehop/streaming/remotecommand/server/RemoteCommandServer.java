package io.kubehop.streaming.remotecommand.server;

import io.kubehop.streaming.httpstream.UpgradeRequests;
import io.kubehop.streaming.remotecommand.StatusWriter;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.StreamProtocol;
import io.kubehop.streaming.spdy.SpdyUpgrade;
import io.kubehop.streaming.websocket.ChannelProtocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/**
 * The exec/attach endpoint of a streaming server (kubelet's {@code remotecommand.ServeExec}/{@code
 * ServeAttach}): handshake → {@code 101 Switching Protocols} → SPDY session (server role) → {@link
 * StreamWaiter} → {@link Executor} → status on the error stream → close.
 *
 * <p>WebSocket requests ({@code Upgrade: websocket}) are served by {@link
 * WebSocketRemoteCommandServer} with the same executor; the rest of this description is the SPDY
 * path.
 *
 * <p>Mount it on a Vert.x {@code HttpServer} with {@link
 * io.kubehop.streaming.transport.PostUpgrades} installed (kubectl upgrades with POST). Refusals
 * before the upgrade are plain text, as upstream's: 403 when no protocol is shared (with {@code
 * X-Accepted-Stream-Protocol-Versions}), 400 when the upgrade headers are missing. After the 101
 * every error is in-band, on the error stream.
 *
 * <pre>
 * C: POST /exec/AbCd1234 HTTP/1.1  Connection: Upgrade  Upgrade: SPDY/3.1  X-Stream-Protocol-Version: v4.channel.k8s.io …
 * S: HTTP/1.1 101 Switching Protocols  Connection: Upgrade  Upgrade: SPDY/3.1  X-Stream-Protocol-Version: v4.channel.k8s.io
 * C: SYN_STREAM 1 {streamtype: error}   S: SYN_REPLY 1 {}
 * C: SYN_STREAM 3 {streamtype: stdout}  S: SYN_REPLY 3 {}      … stderr (5), stdin, resize
 * S: DATA 3 "hello\n"  DATA 3 FIN  DATA 5 FIN  DATA 1 {"metadata":{},"status":"Success"}  DATA 1 FIN  GOAWAY  (TCP close)
 * </pre>
 */
public final class RemoteCommandServer {

  private static final Logger LOG = Logger.getLogger(RemoteCommandServer.class.getName());

  /** {@code StreamIdleTimeout} of kubelet's default streaming config. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(4);

  private final Vertx vertx;
  private final List<String> protocols;
  private final Duration creationTimeout;
  private final Duration idleTimeout;
  private final String errorPrefix;
  private final Duration keepalive;

  private RemoteCommandServer(
      Vertx vertx,
      List<String> protocols,
      Duration creationTimeout,
      Duration idleTimeout,
      String errorPrefix) {
    this(vertx, protocols, creationTimeout, idleTimeout, errorPrefix, Duration.ZERO);
  }

  private RemoteCommandServer(
      Vertx vertx,
      List<String> protocols,
      Duration creationTimeout,
      Duration idleTimeout,
      String errorPrefix,
      Duration keepalive) {
    this.vertx = vertx;
    this.protocols = List.copyOf(protocols);
    this.creationTimeout = creationTimeout;
    this.idleTimeout = idleTimeout;
    this.errorPrefix = errorPrefix;
    this.keepalive = keepalive;
  }

  /** An exec server with upstream defaults: V4…V1, 30 s stream creation, 4 h idle timeout. */
  public static RemoteCommandServer exec(Vertx vertx) {
    return new RemoteCommandServer(
        vertx,
        StreamProtocol.SPDY_SERVER_DEFAULT,
        StreamWaiter.DEFAULT_TIMEOUT,
        DEFAULT_IDLE_TIMEOUT,
        StatusWriter.EXEC_ERROR_PREFIX);
  }

  /** An attach server (errors say {@code error attaching to container: …}). */
  public static RemoteCommandServer attach(Vertx vertx) {
    return new RemoteCommandServer(
        vertx,
        StreamProtocol.SPDY_SERVER_DEFAULT,
        StreamWaiter.DEFAULT_TIMEOUT,
        DEFAULT_IDLE_TIMEOUT,
        StatusWriter.ATTACH_ERROR_PREFIX);
  }

  /**
   * The same server advertising {@code protocols} (wire names, preference order), e.g. with V5
   * first.
   */
  public RemoteCommandServer protocols(List<String> protocols) {
    return new RemoteCommandServer(
        vertx, protocols, creationTimeout, idleTimeout, errorPrefix, keepalive);
  }

  public RemoteCommandServer timeouts(Duration creationTimeout, Duration idleTimeout) {
    return new RemoteCommandServer(
        vertx, protocols, creationTimeout, idleTimeout, errorPrefix, keepalive);
  }

  /**
   * Sessions send a ping every {@code interval}: a WebSocket PING on WebSocket sessions, a SPDY
   * PING on SPDY ones ({@link Duration#ZERO}, the default: never, as wsstream and the kubelet's and
   * containerd's SPDY servers).
   */
  public RemoteCommandServer keepalive(Duration interval) {
    return new RemoteCommandServer(
        vertx, protocols, creationTimeout, idleTimeout, errorPrefix, interval);
  }

  /**
   * The WebSocket transport of this server: same error prefix and idle timeout, every channel
   * protocol.
   */
  public WebSocketRemoteCommandServer webSocket() {
    return new WebSocketRemoteCommandServer(
        vertx, ChannelProtocol.SERVER_DEFAULT, idleTimeout, errorPrefix, keepalive);
  }

  /**
   * Serves one upgrade request: {@code Upgrade: websocket} goes to {@link #webSocket()}
   * (channel.k8s.io protocols), anything else is a SPDY upgrade. Completes when the session is over
   * (or the request was refused); fails only with the reason the session ended abnormally (already
   * reported to the client where possible).
   */
  public Future<Void> serve(HttpServerRequest req, StreamOptions options, Executor executor) {
    if (UpgradeRequests.isWebSocket(req.headers())) {
      return webSocket().serve(req, options, executor);
    }
    return SpdyUpgrade.serve(
        vertx,
        req,
        protocols,
        idleTimeout,
        (negotiated, session) -> {
          session.keepalive(keepalive);
          StreamProtocol protocol =
              StreamProtocol.fromWireName(negotiated).orElseThrow(); // only known names are listed
          if (negotiated.isEmpty()) {
            LOG.fine("no X-Stream-Protocol-Version requested, falling back to channel.k8s.io");
          }
          return StreamWaiter.await(vertx, session, protocol, options, creationTimeout, errorPrefix)
              .compose(streams -> streams.run(executor))
              .eventually(session::closeFuture);
        });
  }
}
