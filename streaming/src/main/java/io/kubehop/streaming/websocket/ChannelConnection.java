package io.kubehop.streaming.websocket;

import io.kubehop.streaming.httpstream.ConnectionClosedException;
import io.kubehop.streaming.httpstream.HeaderBlock;
import io.kubehop.streaming.httpstream.Stream;
import io.kubehop.streaming.httpstream.StreamConnection;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.httpstream.StreamType;
import io.kubehop.streaming.transport.ContextConfinement;
import io.kubehop.streaming.transport.IdleTimer;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrame;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The five exec/attach channels multiplexed over one WebSocket (apimachinery {@code wsstream.Conn},
 * client-go's {@code wsStreamCreator}), as a {@link StreamConnection} of {@link ChannelStream}s, so
 * the remotecommand layer sees the same seam as over SPDY. Confined to the WebSocket's context.
 *
 * <p>Inbound messages are joined from frames (text or binary, up to {@link #MAX_MESSAGE}; larger
 * ones close the connection with 1009) and decoded by {@link ChannelCodec}. A channel this side
 * does not read ({@link #open(int)}) drops its messages; empty messages and bad base64 are logged
 * and dropped as upstream does; a channel byte no protocol defines, and a malformed v5 CLOSE
 * signal, close the connection with 1002 (upstream drops the former silently, which leaves a peer
 * speaking the wrong dialect waiting forever). PINGs are answered by Vert.x; an optional ping
 * interval and idle timeout (every message in or out counts) can be set.
 *
 * <pre>
 * S: 01                                   initial empty message on the lowest writable channel (stdout)
 * C: 00 "hello\n"                         stdin
 * C: ff 00                                v5: stdin closed
 * S: 01 "hello\n"                         stdout
 * S: 03 {"metadata":{},"status":"Success"}
 * S: close 1000
 * </pre>
 */
public final class ChannelConnection implements StreamConnection {

  private static final Logger LOG = Logger.getLogger(ChannelConnection.class.getName());

  /**
   * Largest message accepted (16 MiB, as SPDY's largest DATA frame); larger ones close with 1009.
   */
  public static final int MAX_MESSAGE = 16 * 1024 * 1024;

  /**
   * Outbound payloads are split into messages of at most this many bytes (one frame each at Vert.x
   * defaults).
   */
  public static final int MAX_OUTBOUND_PAYLOAD = 32 * 1024;

  /** Which end of the connection this is: clients send v5 CLOSE signals when a channel ends. */
  public enum Role {
    CLIENT,
    SERVER
  }

  private final Vertx vertx;
  private final Context context;
  private final ContextConfinement confinement;
  private final WebSocketBase ws;
  private final ChannelProtocol protocol;
  private final Role role;
  private final ChannelStream[] streams = new ChannelStream[Channels.COUNT];
  private final boolean[] open = new boolean[Channels.COUNT];
  private final Set<ChannelStream> blocked = new HashSet<>();
  private final Promise<Void> closed = Promise.promise();
  private final IdleTimer idleTimer;
  private final MessageAssembler assembler;
  private long pingTimer = -1;
  private boolean closing;
  private boolean transportClosed;
  private Consumer<Buffer> receivedTap = message -> {}; // tap(): a frame trace
  private Consumer<Buffer> sentTap = message -> {};

  private ChannelConnection(Vertx vertx, WebSocketBase ws, ChannelProtocol protocol, Role role) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.confinement = new ContextConfinement(context);
    this.ws = ws;
    this.protocol = protocol;
    this.role = role;
    for (int i = 0; i < Channels.COUNT; i++) {
      streams[i] = new ChannelStream(this, i);
    }
    this.idleTimer =
        new IdleTimer(
            vertx,
            () -> {
              LOG.fine("websocket idle, closing");
              close();
            });
    this.assembler = new MessageAssembler(MAX_MESSAGE, this::onMessage);
  }

  /**
   * Starts the connection over an open WebSocket; call on its context (e.g. in the completion of
   * the handshake).
   */
  public static ChannelConnection start(
      Vertx vertx, WebSocketBase ws, ChannelProtocol protocol, Role role) {
    return start(vertx, ws, protocol, role, List.of());
  }

  /**
   * Starts the connection with {@code readable} channels open, and first replays {@code early}:
   * frames a client caught with its own frame handler set before connecting (Vert.x resumes a
   * client WebSocket before the caller's callback runs, and frames delivered without a handler are
   * lost).
   */
  public static ChannelConnection start(
      Vertx vertx,
      WebSocketBase ws,
      ChannelProtocol protocol,
      Role role,
      List<WebSocketFrame> early,
      int... readable) {
    ChannelConnection c = new ChannelConnection(vertx, ws, protocol, role);
    for (int channel : readable) {
      c.open[channel] = true;
    }
    ws.frameHandler(c::onFrame);
    early.forEach(c::onFrame);
    ws.closeHandler(v -> c.onClosed());
    ws.exceptionHandler(
        e -> {
          LOG.log(Level.FINE, "websocket error", e);
          for (ChannelStream s : c.streams) {
            s.fail(e);
          }
          if (e instanceof CorruptedWebSocketFrameException corrupt) {
            // Netty's verdict: 1009 for a frame over the limit, 1002 for other violations; not a
            // "normal" 1000
            c.close((short) corrupt.closeStatus().code(), corrupt.closeStatus().reasonText());
          } else {
            c.close();
          }
        });
    ws.drainHandler(
        v -> {
          for (ChannelStream s : c.streams) {
            s.onDrain();
          }
        });
    if (ws.isClosed()) {
      c.onClosed();
    }
    return c;
  }

  public ChannelProtocol protocol() {
    return protocol;
  }

  /**
   * The stream of {@code channel} (0–4); its read side receives data only once {@link #open(int)
   * opened}.
   */
  public ChannelStream stream(int channel) {
    return streams[channel];
  }

  /**
   * Accepts inbound messages on {@code channel}; messages on channels that are not open are
   * dropped.
   */
  public ChannelConnection open(int channel) {
    onContext(() -> open[channel] = true);
    return this;
  }

  /** Sends the empty message on {@code channel} that servers send right after the handshake. */
  public Future<Void> sendInitial(int channel) {
    return write(ChannelCodec.initial(protocol, channel));
  }

  /**
   * Closes after {@code timeout} without a message in either direction; {@link Duration#ZERO}
   * disables it.
   */
  public ChannelConnection idleTimeout(Duration timeout) {
    onContext(() -> idleTimer.set(timeout));
    return this;
  }

  /**
   * Sends a WebSocket PING every {@code interval} (client-go's heartbeat does so every 5 s); {@link
   * Duration#ZERO} stops them. Pings do not count for the idle timeout (wsstream resets its
   * deadline per message): they keep middleboxes from cutting the connection, not a silent session
   * alive.
   */
  public ChannelConnection pingInterval(Duration interval) {
    onContext(
        () -> {
          if (pingTimer >= 0) {
            vertx.cancelTimer(pingTimer);
            pingTimer = -1;
          }
          if (interval.isZero() || transportClosed) {
            return;
          }
          pingTimer =
              vertx.setPeriodic(
                  interval.toMillis(),
                  t -> {
                    if (!ws.isClosed()) {
                      ws.writePing(Buffer.buffer()).onFailure(e -> {});
                    }
                  });
        });
    return this;
  }

  /**
   * Opens the channel of the {@code streamtype} header locally: WebSocket channels need no wire
   * traffic.
   */
  @Override
  public Future<Stream> createStream(HeaderBlock headers) {
    StreamType type = StreamType.fromHeader(headers.get(StreamHeaders.STREAM_TYPE)).orElse(null);
    if (type == null || type == StreamType.DATA) {
      return Future.failedFuture(
          new IllegalArgumentException(
              "unknown stream type " + headers.get(StreamHeaders.STREAM_TYPE)));
    }
    int channel = Channels.of(type);
    open(channel);
    return Future.succeededFuture(streams[channel]);
  }

  /** WebSocket peers never open channels; the handler is never called. */
  @Override
  public ChannelConnection newStreamHandler(Handler<Stream> handler) {
    return this;
  }

  /** Closes with status 1000 (normal closure); completes when the connection is closed. */
  @Override
  public Future<Void> close() {
    return close((short) 1000, null);
  }

  /** Closes with {@code code} and {@code reason}; completes when the connection is closed. */
  public Future<Void> close(short code, String reason) {
    onContext(
        () -> {
          if (!closing) {
            closing = true;
            ws.close(code, reason).onFailure(e -> {});
          }
        });
    return closed.future();
  }

  @Override
  public Future<Void> closeFuture() {
    return closed.future();
  }

  // ---- internals used by ChannelStream ----

  boolean sendsCloseSignals() {
    return role == Role.CLIENT && protocol.closeSignal();
  }

  Future<Void> sendCloseSignal(int channel) {
    return write(ChannelCodec.closeSignal(channel));
  }

  Future<Void> send(int channel, Buffer data) {
    if (data.length() <= MAX_OUTBOUND_PAYLOAD) {
      return write(ChannelCodec.encode(protocol, channel, data));
    }
    Future<Void> last = Future.succeededFuture();
    for (int from = 0; from < data.length(); from += MAX_OUTBOUND_PAYLOAD) {
      int to = Math.min(data.length(), from + MAX_OUTBOUND_PAYLOAD);
      last = write(ChannelCodec.encode(protocol, channel, data.slice(from, to)));
    }
    return last;
  }

  private Future<Void> write(ChannelCodec.Outbound message) {
    if (ws.isClosed() || closing) {
      return Future.failedFuture(new ConnectionClosedException("websocket closed"));
    }
    idleTimer.touch();
    sentTap.accept(message.bytes());
    return message.text()
        ? ws.writeTextMessage(message.bytes().toString())
        : ws.writeBinaryMessage(message.bytes());
  }

  boolean writeQueueFull() {
    return !ws.isClosed() && ws.writeQueueFull(); // Vert.x throws on a closed WebSocket
  }

  void updateBackpressure(ChannelStream stream, boolean full) {
    if (transportClosed) {
      return; // what is left comes from Vert.x's bounded inbound queue; nothing more will be read
    }
    boolean wasBlocked = !blocked.isEmpty();
    if (full) {
      blocked.add(stream);
    } else {
      blocked.remove(stream);
    }
    if (!wasBlocked && !blocked.isEmpty()) {
      ws.pause();
    } else if (wasBlocked && blocked.isEmpty()) {
      ws.resume();
    }
  }

  /** On the context's event-loop thread (see {@link ContextConfinement#isOnContext}). */
  boolean isOnContext() {
    return confinement.isOnContext();
  }

  void onContext(Runnable action) {
    confinement.run(action);
  }

  Future<Void> callOnContext(Supplier<Future<Void>> action) {
    return confinement.call(action);
  }

  // ---- inbound ----

  private void onFrame(WebSocketFrame frame) {
    if (!assembler.onFrame(frame)) {
      LOG.fine(() -> "websocket message larger than " + MAX_MESSAGE + " bytes, closing");
      close((short) 1009, "message too big");
    }
  }

  /**
   * Shows {@code received} every whole message this connection reads and {@code sent} every message
   * it writes (channel byte included), in order (a frame trace decodes them). Set it on the
   * connection's context before its first message. The consumers must not keep or change the
   * buffers.
   */
  public void tap(Consumer<Buffer> received, Consumer<Buffer> sent) {
    this.receivedTap = received;
    this.sentTap = sent;
  }

  private void onMessage(Buffer message) {
    receivedTap.accept(message);
    idleTimer.touch();
    ChannelCodec.Inbound in = ChannelCodec.decode(protocol, message);
    if (in instanceof ChannelCodec.Inbound.Data d) {
      if (open[d.channel()]) {
        streams[d.channel()].onData(d.payload());
      }
    } else if (in instanceof ChannelCodec.Inbound.Close c) {
      streams[c.channel()].onRemoteEnd(); // repeated signals are harmless (client-java sends two)
    } else if (in instanceof ChannelCodec.Inbound.Ignored i) {
      LOG.fine(() -> "ignoring websocket message: " + i.reason());
    } else if (in instanceof ChannelCodec.Inbound.ProtocolError e) {
      LOG.fine(() -> "websocket protocol error: " + e.reason());
      close((short) 1002, e.reason());
    }
  }

  private void onClosed() {
    if (transportClosed) {
      return;
    }
    transportClosed = true;
    closing = true;
    idleTimer.cancel();
    if (pingTimer >= 0) {
      vertx.cancelTimer(pingTimer);
      pingTimer = -1;
    }
    // Vert.x reports the close while frames read before it may still wait in its inbound queue (we
    // paused it for a
    // slow channel): take them all (bounded by that queue) and end the channels only after them, or
    // a slow reader
    // would lose the tail of the output.
    blocked.clear();
    try {
      ws.resume();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "resume after close", e);
    }
    context.runOnContext(
        v -> {
          for (ChannelStream s : streams) {
            s.onConnectionClosed();
          }
          closed.tryComplete();
        });
  }
}
