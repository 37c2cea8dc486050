package io.kubehop.streaming.portforward;

import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.spdy.SpdyUpgrade;
import io.kubehop.streaming.transport.IdleTimer;
import io.kubehop.streaming.websocket.ChannelCodec;
import io.kubehop.streaming.websocket.ChannelConnection;
import io.kubehop.streaming.websocket.ChannelHandshake;
import io.kubehop.streaming.websocket.ChannelProtocol;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The legacy WebSocket port-forward (kubelet's {@code portforward/websocket.go}), used by python's
 * client.
 *
 * <p>Ports come from the {@code port} query parameter (repeatable, comma-separated). Port {@code i}
 * gets channel {@code 2i} for data and {@code 2i+1} for errors; the first message on both is the
 * port as 2 bytes little-endian (port 80: binary {@code 00 50 00} and {@code 01 50 00}, base64
 * {@code "0UAA="} and {@code "1UAA="}). Every port is dialed once, at the start, and lives as long
 * as the WebSocket; there is no half-close (a pod's EOF ends its port, and the WebSocket closes
 * with 1000 when every port has ended). Back-pressure: the WebSocket is paused while a pod
 * connection's write queue is full (one reader for all channels, as upstream's), a pod connection
 * while the WebSocket's is.
 */
final class WebSocketPortForwarder {

  private static final Logger LOG = Logger.getLogger(WebSocketPortForwarder.class.getName());

  /**
   * {@code ""} (binary, no subprotocol), {@code v4.channel.k8s.io}, {@code
   * v4.base64.channel.k8s.io}.
   */
  static final List<ChannelProtocol> PROTOCOLS =
      List.of(ChannelProtocol.V4, ChannelProtocol.V4_BASE64);

  private final Vertx vertx;
  private final Duration idleTimeout;
  private final String pod;
  private final String uid;
  private final PortDialer dialer;

  WebSocketPortForwarder(
      Vertx vertx, Duration idleTimeout, String pod, String uid, PortDialer dialer) {
    this.vertx = vertx;
    this.idleTimeout = idleTimeout;
    this.pod = pod;
    this.uid = uid;
    this.dialer = dialer;
  }

  /**
   * Serves one WebSocket request; completes when the WebSocket is closed or the request was
   * refused.
   */
  Future<Void> serve(HttpServerRequest req) {
    List<Integer> ports;
    try {
      ports = Ports.fromQuery(req.params().getAll("port"));
    } catch (Ports.InvalidPortException e) {
      return SpdyUpgrade.plainText(req, 400).end(e.getMessage());
    }
    if (req.method() != HttpMethod.GET) {
      return req.response()
          .setStatusCode(405)
          .putHeader("Sec-WebSocket-Version", "13")
          .end("websocket: method not allowed\n");
    }
    List<String> offers = ChannelHandshake.offers(req.headers());
    ChannelProtocol protocol = ChannelProtocol.CHANNEL; // no subprotocol: binary
    if (!offers.isEmpty()) {
      Optional<ChannelProtocol> chosen = ChannelProtocol.negotiate(offers, PROTOCOLS);
      if (chosen.isEmpty()) {
        LOG.fine(() -> "port-forward websocket: no supported subprotocol in " + offers);
        return req.response().setStatusCode(403).end();
      }
      protocol = chosen.get();
      // Netty looks only at the first offer and the server-wide list: narrow the offer and answer
      // explicitly
      req.headers().set(StreamHeaders.WEBSOCKET_PROTOCOL, protocol.wireName());
      req.response().headers().set(StreamHeaders.WEBSOCKET_PROTOCOL, protocol.wireName());
    }
    ChannelProtocol negotiated = protocol;
    Future<ServerWebSocket> upgraded;
    try {
      upgraded = req.toWebSocket();
    } catch (RuntimeException e) { // the client left before the handshake
      return Future.succeededFuture();
    }
    return upgraded.transform(
        ar -> {
          if (ar.failed()) {
            LOG.log(Level.FINE, "port-forward websocket handshake failed", ar.cause());
            return Future.<Void>succeededFuture();
          }
          return new Session(ar.result(), negotiated, ports).start();
        });
  }

  /** The 2-byte little-endian port, the first message on both channels of a port. */
  static Buffer portPrefix(int port) {
    return Buffer.buffer(2).appendUnsignedShortLE(port);
  }

  /** One WebSocket and its pod connections, on the WebSocket's context. */
  private final class Session {
    private final ServerWebSocket ws;
    private final ChannelProtocol protocol;
    private final List<Integer> ports;
    private final NetSocket[] sockets;
    private final boolean[] ended;
    private final Set<Integer> blocked = new HashSet<>();
    private final List<NetSocket> pausedByWebSocket = new ArrayList<>();
    private final Promise<Void> closed = Promise.promise();
    private final IdleTimer idleTimer;
    private int pendingDials;
    private int open;

    Session(ServerWebSocket ws, ChannelProtocol protocol, List<Integer> ports) {
      this.ws = ws;
      this.protocol = protocol;
      this.ports = ports;
      this.sockets = new NetSocket[ports.size()];
      this.ended = new boolean[ports.size()];
      this.open = ports.size();
      this.idleTimer = new IdleTimer(vertx, () -> close((short) 1000));
    }

    Future<Void> start() {
      ws.pause(); // nothing is read until every port is dialed: data must not arrive before its
      // connection
      ws.binaryMessageHandler(this::onMessage);
      ws.textMessageHandler(text -> onMessage(Buffer.buffer(text, "UTF-8")));
      ws.closeHandler(v -> onClosed());
      ws.exceptionHandler(
          e -> {
            LOG.log(Level.FINE, "port-forward websocket error", e);
            close((short) 1011);
          });
      ws.drainHandler(
          v -> {
            List<NetSocket> resumed = new ArrayList<>(pausedByWebSocket);
            pausedByWebSocket.clear();
            resumed.forEach(socket -> Splice.readSocket(socket, true));
          });
      idleTimer.set(idleTimeout);
      for (int i = 0; i < ports.size(); i++) {
        send(2 * i, portPrefix(ports.get(i)));
        send(2 * i + 1, portPrefix(ports.get(i)));
      }
      pendingDials = ports.size();
      for (int i = 0; i < ports.size(); i++) {
        int index = i;
        Future<NetSocket> dialed;
        try {
          dialed = dialer.dial(ports.get(i));
        } catch (RuntimeException e) {
          dialed = Future.failedFuture(e);
        }
        dialed.onComplete(
            ar -> {
              if (ar.succeeded()) {
                attach(index, ar.result());
              } else {
                endPort(index, ar.cause());
              }
              if (--pendingDials == 0 && !ws.isClosed()) {
                ws.resume();
              }
            });
      }
      return closed.future();
    }

    private void attach(int index, NetSocket socket) {
      if (ws.isClosed()) {
        socket.close();
        return;
      }
      sockets[index] = socket;
      Throwable[] error = new Throwable[1];
      socket.handler(
          bytes -> {
            send(2 * index, bytes);
            if (writeQueueFull()) {
              // not socket.pause(): a paused socket can queue the pod's end ahead of its last bytes
              Splice.readSocket(socket, false);
              pausedByWebSocket.add(socket);
            }
          });
      socket.exceptionHandler(
          e -> {
            if (error[0] == null) {
              error[0] = e;
            }
            socket.close();
          });
      // the end, not the close, ends a port cleanly: bytes read before the close may still wait in
      // Vert.x's inbound queue
      socket.endHandler(v -> endPort(index, null));
      socket.closeHandler(
          v -> {
            if (error[0] != null) {
              endPort(index, error[0]);
            }
          });
    }

    /**
     * A port is over: its failure (if any) goes on its error channel; the last one closes the
     * WebSocket.
     */
    private void endPort(int index, Throwable cause) {
      if (ended[index]) {
        return;
      }
      ended[index] = true;
      blocked.remove(index);
      updateReading();
      if (cause != null) {
        String message = ForwardingError.message(ports.get(index), pod, uid, cause);
        LOG.info(message);
        send(2 * index + 1, Buffer.buffer(message.getBytes(StandardCharsets.UTF_8)));
      }
      if (--open == 0) {
        close((short) 1000);
      }
    }

    private void onMessage(Buffer message) {
      idleTimer.touch();
      if (message.length() == 0) {
        return;
      }
      int channel;
      Buffer payload;
      if (protocol.base64()) {
        channel = message.getUnsignedByte(0) - '0';
        try {
          payload =
              Buffer.buffer(Base64.getDecoder().decode(message.getBytes(1, message.length())));
        } catch (IllegalArgumentException e) {
          LOG.fine(
              () ->
                  "port-forward websocket: invalid base64 on channel "
                      + (message.getUnsignedByte(0) - '0'));
          return;
        }
      } else {
        channel = message.getUnsignedByte(0);
        payload = message.getBuffer(1, message.length());
      }
      if (channel < 0 || channel >= 2 * ports.size()) {
        // upstream drops it; a peer speaking another dialect would then wait forever (as in
        // ChannelConnection)
        LOG.fine(
            () ->
                "port-forward websocket: frame is targeted for a reader "
                    + channel
                    + " that is not valid");
        close((short) 1002);
        return;
      }
      int index = channel / 2;
      NetSocket socket = sockets[index];
      if (channel % 2 == 1 || payload.length() == 0 || socket == null || ended[index]) {
        return; // error channels are write-only; a port whose connection failed or ended drops its
        // data
      }
      socket.write(payload).onFailure(e -> socket.close());
      if (socket.writeQueueFull()) {
        blocked.add(index);
        updateReading();
        socket.drainHandler(
            v -> {
              blocked.remove(index);
              updateReading();
            });
      }
    }

    private void updateReading() {
      if (ws.isClosed() || pendingDials > 0) {
        return;
      }
      if (blocked.isEmpty()) {
        ws.resume();
      } else {
        ws.pause();
      }
    }

    private void send(int channel, Buffer data) {
      if (ws.isClosed()) {
        return;
      }
      idleTimer.touch();
      for (int from = 0;
          from < data.length() || from == 0;
          from += ChannelConnection.MAX_OUTBOUND_PAYLOAD) {
        int to = Math.min(data.length(), from + ChannelConnection.MAX_OUTBOUND_PAYLOAD);
        ChannelCodec.Outbound out =
            ChannelCodec.encode(protocol, channel, data.getBuffer(from, to));
        Future<Void> written =
            out.text()
                ? ws.writeTextMessage(out.bytes().toString(StandardCharsets.US_ASCII))
                : ws.writeBinaryMessage(out.bytes());
        written.onFailure(e -> LOG.log(Level.FINE, "port-forward websocket write failed", e));
        if (data.length() == 0) {
          break;
        }
      }
    }

    private boolean writeQueueFull() {
      return !ws.isClosed() && ws.writeQueueFull();
    }

    private void close(short code) {
      if (!ws.isClosed()) {
        ws.close(code).onFailure(e -> {});
      }
    }

    private void onClosed() {
      idleTimer.cancel();
      for (NetSocket s : sockets) {
        if (s != null) {
          s.close();
        }
      }
      closed.tryComplete();
    }
  }
}
