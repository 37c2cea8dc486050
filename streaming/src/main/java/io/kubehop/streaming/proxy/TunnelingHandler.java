package io.kubehop.streaming.proxy;

import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.httpstream.UpgradeRefusedException;
import io.kubehop.streaming.httpstream.UpgradeRequests;
import io.kubehop.streaming.transport.LingeringClose;
import io.kubehop.streaming.transport.SocketMeter;
import io.kubehop.streaming.transport.UpgradeHeaders;
import io.kubehop.streaming.transport.VertxInternals;
import io.kubehop.streaming.websocket.ChannelHandshake;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * KEP-4006's port-forward {@code TunnelingHandler} (apiserver {@code streamtunnel.go}): kubectl
 * 1.31+ sends a WebSocket upgrade offering {@code SPDY/3.1+portforward.k8s.io} and then carries its
 * whole SPDY/3.1 byte stream in WebSocket binary messages. This tier unwraps it: the next hop gets
 * an ordinary SPDY upgrade, and only its 101 makes this tier complete the client's WebSocket
 * handshake, so the SPDY session runs end to end between kubectl and the port-forward server while
 * this tier only re-frames bytes.
 *
 * <p>The order follows upstream: rewrite the request (POST, {@code Upgrade: SPDY/3.1}, one {@code
 * X-Stream-Protocol-Version} per offered {@code SPDY/3.1+} protocol, the WebSocket headers gone),
 * send it as the {@link UpgradeAwareProxy} sends any upgrade, read the backend's head, and then:
 *
 * <ul>
 *   <li>101 with {@code Connection: Upgrade} and {@code Upgrade: SPDY/3.1}: accept the client's
 *       WebSocket selecting {@code SPDY/3.1+<X-Stream-Protocol-Version of the 101>}; the backend's
 *       101 head is swallowed, bytes it sent past the head are the first message. WebSocket binary
 *       payloads go to the backend TCP stream, backend bytes go out as binary messages, each
 *       direction with backpressure.
 *   <li>101 without those headers: 500 {@code unable to upgrade: missing upgrade headers in
 *       response}.
 *   <li>anything else: as the {@link UpgradeAwareProxy} answers it (errors relayed verbatim), so
 *       the client's handshake fails and kubectl falls back to plain SPDY.
 * </ul>
 *
 * Message boundaries mean nothing (spdystream writes one message per frame, gorilla fragments it,
 * and the reader joins payloads into one stream), so frames are copied as they come, never
 * aggregated. A text message is a protocol error ({@code invalid message type received}). A close
 * frame from the client is EOF: the backend is half-closed after what was already copied; the
 * backend's EOF becomes a close frame 1000 behind the queued messages.
 */
public final class TunnelingHandler {

  private static final Logger LOG = Logger.getLogger(TunnelingHandler.class.getName());

  /** {@code WebsocketsSPDYTunnelingPrefix}. */
  public static final String TUNNELING_PREFIX = "SPDY/3.1+";

  /** {@code KubernetesSuffix}: a tunneled protocol must end with it. */
  public static final String KUBERNETES_SUFFIX = ".k8s.io";

  /**
   * Largest WebSocket frame and message accepted: one whole SPDY frame, 8 bytes of header and a
   * 24-bit length, since spdystream writes each frame as one message and a client may send it as
   * one frame.
   */
  public static final int MAX_MESSAGE = 8 + (1 << 24) - 1;

  static final String NO_PROTOCOLS = "unable to upgrade: no tunneling spdy protocols provided";
  static final String MISSING_UPGRADE_HEADERS =
      "unable to upgrade: missing upgrade headers in response";
  static final String INVALID_MESSAGE = "invalid message type received";

  /**
   * 1003, unsupported data: kubehop says why, where upstream's TunnelingConnection closes with 1000
   * regardless.
   */
  private static final short UNSUPPORTED_DATA = 1003;

  private static final short NORMAL_CLOSURE = 1000;

  /**
   * Upstream answers its own refusals with {@code http.Error}, plain text, whatever the tier's
   * responder.
   */
  private static final ErrorResponder HTTP_ERROR = ErrorResponder.plainText();

  private final UpgradeAwareProxy upgrades;
  private final HopRegistry registry;

  /**
   * Dials with a NetClient of its own (one connection per session, never pooled); apiserver
   * responder.
   */
  public TunnelingHandler(Vertx vertx, HopRegistry registry) {
    this(vertx.createNetClient(), registry);
  }

  public TunnelingHandler(NetClient client, HopRegistry registry) {
    this(client, ErrorResponder.status(), UpgradeAwareProxy.RedirectPolicy.NEVER, registry);
  }

  /**
   * @param responder how failures before any backend response are answered (dial errors, a non-101
   *     below 400), as the tier's {@link UpgradeAwareProxy} answers them
   * @param redirects which redirects of the next hop to follow (the legacy redirect mode of the
   *     kubelet)
   */
  public TunnelingHandler(
      NetClient client,
      ErrorResponder responder,
      UpgradeAwareProxy.RedirectPolicy redirects,
      HopRegistry registry) {
    this.upgrades = new UpgradeAwareProxy(client, responder, redirects, registry);
    this.registry = registry;
  }

  /**
   * Raises the tier's WebSocket limits so a whole SPDY frame fits in one frame and one message
   * ({@link #MAX_MESSAGE}, never lowering a larger limit) and lists the tunneled port-forward
   * protocol. Call on the {@link HttpServerOptions} of a tier that tunnels: the frame limit is a
   * server option, fixed when the handshake installs the decoder.
   */
  public static HttpServerOptions configure(HttpServerOptions options) {
    List<String> protocols =
        new ArrayList<>(Optional.ofNullable(options.getWebSocketSubProtocols()).orElse(List.of()));
    String portForward = TUNNELING_PREFIX + "portforward.k8s.io";
    if (!protocols.contains(portForward)) {
      protocols.add(portForward);
    }
    return options
        .setMaxWebSocketFrameSize(Math.max(options.getMaxWebSocketFrameSize(), MAX_MESSAGE))
        .setMaxWebSocketMessageSize(Math.max(options.getMaxWebSocketMessageSize(), MAX_MESSAGE))
        .setWebSocketSubProtocols(protocols);
  }

  /**
   * {@code IsWebSocketRequestWithTunnelingProtocol}: a WebSocket upgrade of which some offered
   * subprotocol starts with {@code SPDY/3.1+} and ends with {@code .k8s.io} (repeated or
   * comma-joined {@code Sec-WebSocket-Protocol} lines).
   */
  public static boolean isWebSocketRequestWithTunnelingProtocol(MultiMap headers) {
    return UpgradeRequests.isWebSocket(headers) && !spdyProtocols(headers).isEmpty();
  }

  /**
   * {@code spdyProtocolsFromWebsocketProtocols}: the tunneled offers without their prefix, in offer
   * order.
   */
  static List<String> spdyProtocols(MultiMap headers) {
    List<String> out = new ArrayList<>();
    for (String offer : ChannelHandshake.offers(headers)) {
      if (offer.startsWith(TUNNELING_PREFIX) && offer.endsWith(KUBERNETES_SUFFIX)) {
        out.add(offer.substring(TUNNELING_PREFIX.length()));
      }
    }
    return out;
  }

  /**
   * Tunnels {@code req} toward {@code location} (the next hop's portforward URL with its query).
   * Completes with the hop once both upgrades succeeded; fails if the request or the backend was
   * refused (already answered to the client, a backend's refusal relayed).
   */
  public Future<HopSession> tunnel(HttpServerRequest req, URI location) {
    List<String> spdyProtocols = spdyProtocols(req.headers());
    if (spdyProtocols.isEmpty()) {
      HTTP_ERROR.error(req, 400, NO_PROTOCOLS);
      return Future.failedFuture(new UpgradeRefusedException(400, NO_PROTOCOLS));
    }
    if (!UpgradeRequests.isUpgrade(req.headers())) {
      upgrades.responder().error(req, 400, "Upgrade request required");
      return Future.failedFuture(new UpgradeRefusedException(400, "Upgrade request required"));
    }
    long arrived = System.nanoTime();
    req.pause();
    String session = UpgradeAwareProxy.sessionId(req);
    return upgrades
        .send(req, spdyRequest(req.headers(), spdyProtocols), location, session)
        .compose(backend -> answer(req, backend, session))
        .onSuccess(hop -> registry.upgraded(hop, arrived));
  }

  /**
   * {@code createSPDYRequest}: the client's request as a SPDY upgrade offering the tunneled
   * protocols.
   */
  static UpgradeAwareProxy.Outgoing spdyRequest(
      MultiMap clientHeaders, List<String> spdyProtocols) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(clientHeaders);
    headers.remove(StreamHeaders.WEBSOCKET_PROTOCOL);
    headers.remove("Sec-WebSocket-Key");
    headers.remove("Sec-WebSocket-Version");
    headers.remove(UpgradeHeaders.UPGRADE);
    headers.remove(StreamHeaders.PROTOCOL_VERSION);
    // Go's Request.Write sends "Content-Length: 0" for a POST whose body is http.NoBody.
    headers.remove("Transfer-Encoding");
    headers.set("Content-Length", "0");
    headers.set(UpgradeHeaders.UPGRADE, UpgradeHeaders.SPDY_31);
    for (String protocol : spdyProtocols) {
      headers.add(StreamHeaders.PROTOCOL_VERSION, protocol);
    }
    return new UpgradeAwareProxy.Outgoing("POST", headers);
  }

  private Future<HopSession> answer(
      HttpServerRequest req, UpgradeAwareProxy.Backend backend, String session) {
    ResponseHead head = backend.head();
    int code = head.statusCode();
    if (code == 101) {
      // tunnelingWebsocketUpgraderConn.InitializeWrite requires the Connection and Upgrade headers
      // of a SPDY 101.
      if (!UpgradeHeaders.isUpgradeTo(head::values, UpgradeHeaders.SPDY_31)) {
        LOG.warning(MISSING_UPGRADE_HEADERS + ": " + head.headers());
        backend.socket().close();
        HTTP_ERROR.error(req, 500, MISSING_UPGRADE_HEADERS);
        return Future.failedFuture(new UpgradeRefusedException(500, MISSING_UPGRADE_HEADERS));
      }
      return acceptWebSocket(req, backend, session);
    }
    if (code >= 400) {
      UpgradeAwareProxy.relayError(req, backend);
      return Future.failedFuture(new UpgradeRefusedException(code, "backend answered " + code));
    }
    backend.socket().close();
    String message = "invalid upgrade response: status code " + code;
    upgrades.responder().error(req, 500, message);
    return Future.failedFuture(new UpgradeRefusedException(500, message));
  }

  private Future<HopSession> acceptWebSocket(
      HttpServerRequest req, UpgradeAwareProxy.Backend backend, String session) {
    NetSocket up = backend.socket();
    String negotiated = backend.head().header(StreamHeaders.PROTOCOL_VERSION).orElse("");
    String selected = TUNNELING_PREFIX + negotiated;
    // gorilla's Upgrader with Subprotocols = [selected]: chosen only if the client offered it, else
    // none. Vert.x
    // (Netty) would look at the first header line and the server-wide list only, so narrow the
    // offer and answer
    // explicitly, as ChannelHandshake does.
    boolean offered = ChannelHandshake.offers(req.headers()).contains(selected);
    if (offered) {
      req.headers().set(StreamHeaders.WEBSOCKET_PROTOCOL, selected);
      req.response().headers().set(StreamHeaders.WEBSOCKET_PROTOCOL, selected);
    } else {
      req.headers().remove(StreamHeaders.WEBSOCKET_PROTOCOL);
    }
    req.response().headers().set(StreamHeaders.SESSION, session);
    Future<ServerWebSocket> upgraded;
    try {
      upgraded = req.toWebSocket();
    } catch (
        RuntimeException e) { // the client went away meanwhile (Vert.x throws instead of failing)
      upgraded = Future.failedFuture(e);
    }
    return upgraded
        .onFailure(e -> up.close())
        .map(ws -> splice(req, ws, backend, session, offered ? selected : null, negotiated));
  }

  private HopSession splice(
      HttpServerRequest req,
      ServerWebSocket ws,
      UpgradeAwareProxy.Backend backend,
      String session,
      String selected,
      String negotiated) {
    NetSocket up = backend.socket();
    HopSession hop =
        new HopSession(
            session,
            backend.location().toString(),
            HopSession.Kind.TUNNELED,
            selected,
            negotiated,
            ws.localAddress(),
            ws.remoteAddress(),
            up.localAddress(),
            up.remoteAddress(),
            () -> {
              ws.close();
              up.close();
            });
    hop.meter(SocketMeter.on(req.connection()), SocketMeter.on(up));
    registry.add(hop);
    Promise<Void> wsClosed = Promise.promise();
    Promise<Void> upClosed = Promise.promise();
    ws.closeHandler(
        v -> {
          hop.end(SessionEnd.Side.CLIENT, SessionEnd.How.CLOSED);
          wsClosed.tryComplete();
        });
    up.closeHandler(
        v -> {
          hop.end(SessionEnd.Side.BACKEND, SessionEnd.How.CLOSED);
          upClosed.tryComplete();
        });
    Future.join(wsClosed.future(), upClosed.future()).onComplete(v -> hop.markClosed());

    Future<Void> early = Future.succeededFuture();
    if (backend.rest().length() > 0) { // SPDY bytes the backend sent right behind its 101
      hop.countDown(backend.rest().length());
      early = ws.writeBinaryMessage(backend.rest());
    }
    copyToBackend(ws, up, hop, wsClosed.future());
    copyToWebSocket(up, ws, hop, early);
    return hop;
  }

  /**
   * WebSocket payloads → backend, pausing the WebSocket while the backend's write queue is full.
   * The client's close frame arrives behind the frames before it, so the half-close flushes every
   * payload first.
   */
  private static void copyToBackend(
      ServerWebSocket ws, NetSocket up, HopSession hop, Future<Void> wsClosed) {
    boolean[] ended = {false};
    Runnable endBackend =
        () -> {
          if (!ended[0]) {
            ended[0] = true;
            LingeringClose.halfClose(up, LingeringClose.DEFAULT_LINGER);
          }
        };
    ws.frameHandler(
        frame -> {
          if (ended[0]) {
            return;
          }
          // A text message's first frame ends the tunnel, so a continuation still arriving
          // continues a binary one.
          if (frame.isText()) {
            LOG.fine(() -> "tunnel " + hop.id() + ": " + INVALID_MESSAGE);
            hop.end(SessionEnd.Side.SELF, SessionEnd.How.CLOSED);
            endBackend.run();
            ws.close(UNSUPPORTED_DATA, INVALID_MESSAGE);
            return;
          }
          if (frame.isBinary() || frame.isContinuation()) {
            Buffer data = frame.binaryData();
            hop.countUp(data.length());
            up.write(data);
            if (up.writeQueueFull()) {
              ws.pause();
              up.drainHandler(v -> ws.resume());
            }
          }
        });
    ws.endHandler( // close frame: EOF, whatever the code
        v -> {
          hop.end(SessionEnd.Side.CLIENT, SessionEnd.How.CLOSED);
          endBackend.run();
        });
    ws.exceptionHandler(e -> LOG.log(Level.FINE, "tunnel " + hop.id() + ": websocket error", e));
    // Vert.x answers a close frame and closes the TCP connection at once, while frames before it
    // may still wait in
    // the paused WebSocket: after a close frame, the end handler (behind those frames) ends the
    // backend. Without
    // one (the connection dropped, or the client never answered ours) there is no end: end the
    // backend now.
    wsClosed.onComplete(
        v -> {
          if (ws.closeStatusCode() == null) {
            endBackend.run();
          }
        });
  }

  /**
   * Backend bytes → binary messages, pausing the backend while the WebSocket's write queue is full.
   */
  private static void copyToWebSocket(
      NetSocket up, ServerWebSocket ws, HopSession hop, Future<Void> early) {
    VertxInternals.closeOnTlsCloseNotify(up); // over TLS, the kubelet's half-close
    Future<?>[] lastWrite = {early};
    up.handler(
        buffer -> {
          if (ws.isClosed()) {
            return; // the client is gone; the backend is being half-closed and its input discarded
          }
          hop.countDown(buffer.length());
          lastWrite[0] = ws.writeBinaryMessage(buffer);
          if (ws.writeQueueFull()) {
            up.pause();
            ws.drainHandler(v -> up.resume());
          }
        });
    // Backend EOF: close 1000 once the last message is written. Not at once: Vert.x's wait for the
    // client's close
    // frame would start while a slow client still had queued messages to read, and its timeout cut
    // them off.
    up.endHandler(
        v -> {
          hop.end(SessionEnd.Side.BACKEND, SessionEnd.How.CLOSED);
          lastWrite[0].onComplete(
              w -> {
                if (!ws.isClosed()) {
                  ws.close(NORMAL_CLOSURE);
                }
              });
        });
    up.exceptionHandler(
        e -> {
          LOG.log(Level.FINE, "tunnel " + hop.id() + ": backend error", e);
          hop.end(SessionEnd.Side.BACKEND, SessionEnd.How.RESET);
          up.close();
        });
    up.resume();
  }
}
