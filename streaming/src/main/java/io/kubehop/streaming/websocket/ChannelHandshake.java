package io.kubehop.streaming.websocket;

import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.httpstream.UpgradeRefusedException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Server side of the WebSocket handshake of a channel protocol (apimachinery {@code wsstream}
 * handshake on top of Vert.x's {@code toWebSocket()}).
 *
 * <p>Offers are read from every {@code Sec-WebSocket-Protocol} line and split at commas
 * (client-node joins five in one line). The first client-offered protocol the server supports wins;
 * none offered means binary {@code channel.k8s.io} without a subprotocol in the answer; offers
 * without a match get a bare 403, as x/net's handshake writes. Vert.x (Netty) would only look at
 * the first header line and at the server-wide option list, so the request's offer is narrowed to
 * the chosen protocol before the handshake and the answer carries it explicitly: this works
 * whatever {@link HttpServerOptions#getWebSocketSubProtocols()} the tier configured.
 */
public final class ChannelHandshake {

  private static final Logger LOG = Logger.getLogger(ChannelHandshake.class.getName());

  private ChannelHandshake() {
    throw new AssertionError("No instances.");
  }

  /** A WebSocket upgrade: the negotiated protocol and its channels. */
  public record Accepted(
      ChannelProtocol protocol, ServerWebSocket webSocket, ChannelConnection connection) {}

  /**
   * Raises Vert.x's WebSocket limits on a server that serves exec/attach: frames and messages up to
   * {@link ChannelConnection#MAX_MESSAGE} (the default 64 KiB frame limit closes a python client
   * sending a large stdin chunk with 1009), and lists the channel protocols. Call on the tier's
   * {@link HttpServerOptions}.
   */
  public static HttpServerOptions configure(HttpServerOptions options) {
    List<String> protocols =
        new ArrayList<>(Optional.ofNullable(options.getWebSocketSubProtocols()).orElse(List.of()));
    for (ChannelProtocol p : ChannelProtocol.values()) {
      if (!protocols.contains(p.wireName())) {
        protocols.add(p.wireName());
      }
    }
    return options
        .setMaxWebSocketFrameSize(ChannelConnection.MAX_MESSAGE)
        .setMaxWebSocketMessageSize(ChannelConnection.MAX_MESSAGE)
        .setWebSocketSubProtocols(protocols);
  }

  /**
   * Every offered subprotocol, from repeated and comma-joined header lines, trimmed, empty ones
   * dropped.
   */
  public static List<String> offers(MultiMap headers) {
    List<String> out = new ArrayList<>();
    for (String line : headers.getAll(StreamHeaders.WEBSOCKET_PROTOCOL)) {
      for (String p : line.split(",")) {
        String t = p.trim();
        if (!t.isEmpty()) {
          out.add(t);
        }
      }
    }
    return out;
  }

  /**
   * Completes the handshake with one of {@code supported} and starts a {@link ChannelConnection}
   * (server role). A refused request (403 no shared protocol, 405 not GET) is answered here and the
   * future fails.
   */
  public static Future<Accepted> accept(
      Vertx vertx, HttpServerRequest req, List<ChannelProtocol> supported) {
    if (req.method() != HttpMethod.GET) {
      req.response()
          .setStatusCode(405)
          .putHeader("Sec-WebSocket-Version", "13")
          .end("websocket: method not allowed\n");
      return Future.failedFuture(
          new UpgradeRefusedException(405, "websocket upgrade with method " + req.method()));
    }
    List<String> offers = offers(req.headers());
    ChannelProtocol protocol;
    if (offers.isEmpty()) {
      protocol = ChannelProtocol.CHANNEL;
    } else {
      Optional<ChannelProtocol> chosen = ChannelProtocol.negotiate(offers, supported);
      if (chosen.isEmpty()) {
        String message =
            "requested protocol(s) are not supported: "
                + offers
                + "; supports "
                + supported.stream().map(ChannelProtocol::wireName).collect(Collectors.toList());
        LOG.info(message);
        req.response().setStatusCode(403).end();
        return Future.failedFuture(new UpgradeRefusedException(403, message));
      }
      protocol = chosen.get();
      req.headers().set(StreamHeaders.WEBSOCKET_PROTOCOL, protocol.wireName());
      req.response().headers().set(StreamHeaders.WEBSOCKET_PROTOCOL, protocol.wireName());
    }
    Future<ServerWebSocket> upgraded;
    try {
      upgraded = req.toWebSocket();
    } catch (RuntimeException e) { // the client went away before the handshake (Vert.x throws then)
      return Future.failedFuture(e);
    }
    return upgraded.map(
        ws ->
            new Accepted(
                protocol,
                ws,
                ChannelConnection.start(vertx, ws, protocol, ChannelConnection.Role.SERVER)));
  }
}
