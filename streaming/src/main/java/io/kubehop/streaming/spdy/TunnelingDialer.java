package io.kubehop.streaming.spdy;

import io.kubehop.streaming.transport.WebSocketTransport;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The client end of KEP-4006's port-forward tunnel (client-go's {@code tunnelingDialer}, kubectl
 * 1.31+): a WebSocket GET offering each protocol as {@code SPDY/3.1+<protocol>}, then a client
 * {@link SpdySession} over the WebSocket's binary messages ({@link WebSocketTransport}), with a
 * SPDY PING every {@link #PING_PERIOD} as upstream sends them, so idle proxies keep the tunnel. The
 * server end is the apiserver's (or kubelet's) {@code TunnelingHandler}.
 *
 * <p>A refused handshake fails with {@link SpdyDialer.UpgradeFailedException}, as a refused SPDY
 * upgrade does, so a caller can fall back to {@link SpdyDialer} on the same condition.
 */
public final class TunnelingDialer {

  /** {@code constants.WebsocketsSPDYTunnelingPrefix}. */
  public static final String TUNNELING_PREFIX = "SPDY/3.1+";

  /** Upstream's {@code NewSPDYOverWebsocketDialer} ping period. */
  public static final Duration PING_PERIOD = Duration.ofSeconds(5);

  private TunnelingDialer() {
    throw new AssertionError("No instances.");
  }

  /**
   * Upgrades {@code GET uri} on {@code host:port} offering the tunneled {@code protocols}; the
   * result's protocol is the server's choice without the prefix, its headers the 101's.
   */
  public static Future<SpdyDialer.Upgraded> dial(
      Vertx vertx,
      WebSocketClient client,
      String host,
      int port,
      String uri,
      List<String> protocols,
      Map<String, String> headers) {
    List<String> offered = protocols.stream().map(p -> TUNNELING_PREFIX + p).toList();
    WebSocketConnectOptions connect =
        new WebSocketConnectOptions()
            .setHost(host)
            .setPort(port)
            .setURI(uri)
            .setSubProtocols(offered);
    headers.forEach(connect::addHeader);
    ClientWebSocket ws = client.webSocket();
    WebSocketTransport transport = new WebSocketTransport(ws); // before frames can arrive
    return ws.connect(connect)
        .recover(TunnelingDialer::upgradeFailure)
        .compose(
            connected -> {
              String chosen = ws.subProtocol();
              if (chosen == null || !offered.contains(chosen)) {
                ws.close();
                return Future.failedFuture(
                    new SpdyDialer.UpgradeFailedException(
                        -1,
                        "invalid protocol, expected one of "
                            + offered
                            + ", got \""
                            + (chosen == null ? "" : chosen)
                            + "\"",
                        null));
              }
              MultiMap responseHeaders = MultiMap.caseInsensitiveMultiMap();
              if (ws.headers() != null) {
                responseHeaders.addAll(ws.headers());
              }
              SpdySession session =
                  SpdySession.start(vertx, transport, SpdySession.Role.CLIENT)
                      .keepalive(PING_PERIOD);
              return Future.succeededFuture(
                  new SpdyDialer.Upgraded(
                      chosen.substring(TUNNELING_PREFIX.length()), responseHeaders, session));
            });
  }

  private static Future<WebSocket> upgradeFailure(Throwable e) {
    if (e instanceof UpgradeRejectedException r) {
      String body = r.getBody() == null ? "" : r.getBody().toString();
      String location = r.getHeaders() == null ? null : r.getHeaders().get("Location");
      return Future.failedFuture(
          new SpdyDialer.UpgradeFailedException(r.getStatus(), body, location));
    }
    if (e instanceof WebSocketHandshakeException) { // e.g. a subprotocol that was not offered
      return Future.failedFuture(new SpdyDialer.UpgradeFailedException(-1, e.getMessage(), null));
    }
    return Future.failedFuture(e);
  }
}
