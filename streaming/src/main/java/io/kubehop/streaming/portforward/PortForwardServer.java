package io.kubehop.streaming.portforward;

import io.kubehop.streaming.httpstream.UpgradeRequests;
import io.kubehop.streaming.spdy.SpdyUpgrade;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.List;

/**
 * The port-forward endpoint of a streaming server (kubelet's {@code portforward.ServePortForward}).
 *
 * <p>SPDY ({@code portforward.k8s.io}, kubectl): handshake → {@code 101} → SPDY session (server
 * role, idle timeout) → {@link SpdyPortForwarder}: one error + data stream pair per client
 * connection, each spliced with its own pod connection. WebSocket ({@code v4.channel.k8s.io},
 * {@code v4.base64.channel.k8s.io} or no subprotocol; python's client): {@link
 * WebSocketPortForwarder}, ports from the {@code port} query parameter, one pod connection per
 * port.
 *
 * <pre>
 * C: POST /portforward/AbCd1234  Connection: Upgrade  Upgrade: SPDY/3.1  X-Stream-Protocol-Version: portforward.k8s.io
 * S: 101  X-Stream-Protocol-Version: portforward.k8s.io
 * C: SYN_STREAM 1 {streamtype: error, port: 80, requestid: 0}  DATA 1 FIN        S: SYN_REPLY 1
 * C: SYN_STREAM 3 {streamtype: data, port: 80, requestid: 0}   DATA 3 "GET / …"  S: SYN_REPLY 3
 * S: DATA 3 "HTTP/1.1 200 OK …"  DATA 3 FIN  DATA 1 FIN
 * </pre>
 *
 * Mount it on an {@code HttpServer} with {@link io.kubehop.streaming.transport.PostUpgrades}
 * installed (kubectl upgrades with POST). Refusals before the upgrade are plain text, as
 * upstream's.
 */
public final class PortForwardServer {

  /**
   * {@code portforward.k8s.io}, the only SPDY sub-protocol ({@code SupportedPortForwardProtocols}).
   */
  public static final String PROTOCOL_V1 = "portforward.k8s.io";

  /**
   * {@code DefaultStreamCreationTimeout}: how long the first stream of a pair waits for its
   * partner.
   */
  public static final Duration DEFAULT_CREATION_TIMEOUT = Duration.ofSeconds(30);

  /** {@code StreamIdleTimeout} of the default streaming config. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(4);

  static final String STREAM_TYPE_ERROR = "error";
  static final String STREAM_TYPE_DATA = "data";

  private final Vertx vertx;
  private final List<String> protocols;
  private final Duration creationTimeout;
  private final Duration idleTimeout;
  private final Duration keepalive;

  public PortForwardServer(Vertx vertx) {
    this(
        vertx, List.of(PROTOCOL_V1), DEFAULT_CREATION_TIMEOUT, DEFAULT_IDLE_TIMEOUT, Duration.ZERO);
  }

  private PortForwardServer(
      Vertx vertx,
      List<String> protocols,
      Duration creationTimeout,
      Duration idleTimeout,
      Duration keepalive) {
    this.vertx = vertx;
    this.protocols = List.copyOf(protocols);
    this.creationTimeout = creationTimeout;
    this.idleTimeout = idleTimeout;
    this.keepalive = keepalive;
  }

  /**
   * The same server with other stream-creation and idle timeouts ({@link Duration#ZERO} idle:
   * none).
   */
  public PortForwardServer timeouts(Duration creationTimeout, Duration idleTimeout) {
    return new PortForwardServer(vertx, protocols, creationTimeout, idleTimeout, keepalive);
  }

  /**
   * The same server sending a SPDY PING every {@code interval} on its SPDY sessions ({@link
   * Duration#ZERO}, the default: none). WebSocket port-forward sessions get none: kubectl reaches
   * port-forward over SPDY or KEP-4006's tunnel, whose client pings every 5 s itself.
   */
  public PortForwardServer keepalive(Duration interval) {
    return new PortForwardServer(vertx, protocols, creationTimeout, idleTimeout, interval);
  }

  /**
   * The same server offering {@code protocols} over SPDY (upstream's {@code
   * SupportedPortForwardProtocols}).
   */
  public PortForwardServer protocols(List<String> protocols) {
    return new PortForwardServer(vertx, protocols, creationTimeout, idleTimeout, keepalive);
  }

  /**
   * Serves one port-forward upgrade: SPDY {@code portforward.k8s.io}, or a WebSocket ({@code
   * v4.channel.k8s.io} / {@code v4.base64.channel.k8s.io} / {@code ""}) with ports from the {@code
   * port} query parameter. {@code podName}/{@code podUid} only appear in error messages. Completes
   * when the session is over.
   */
  public Future<Void> serve(
      HttpServerRequest req, String podName, String podUid, PortDialer dialer) {
    if (UpgradeRequests.isWebSocket(req.headers())) {
      return new WebSocketPortForwarder(vertx, idleTimeout, podName, podUid, dialer).serve(req);
    }
    return SpdyUpgrade.serve(
        vertx,
        req,
        protocols,
        idleTimeout,
        (negotiated, session) ->
            new SpdyPortForwarder(
                    vertx, session.keepalive(keepalive), creationTimeout, podName, podUid, dialer)
                .run());
  }
}
