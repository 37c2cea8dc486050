package io.kubehop.streaming.spdy;

import io.kubehop.streaming.httpstream.ConnectionClosedException;
import io.kubehop.streaming.httpstream.HeaderBlock;
import io.kubehop.streaming.httpstream.Stream;
import io.kubehop.streaming.httpstream.StreamConnection;
import io.kubehop.streaming.httpstream.StreamResetException;
import io.kubehop.streaming.spdy.frame.GoAwayStatus;
import io.kubehop.streaming.spdy.frame.RstStatus;
import io.kubehop.streaming.spdy.frame.SpdyConstants;
import io.kubehop.streaming.spdy.frame.SpdyFrame;
import io.kubehop.streaming.spdy.frame.SpdyFrameDecoder;
import io.kubehop.streaming.spdy.frame.SpdyFrameEncoder;
import io.kubehop.streaming.spdy.frame.SpdyProtocolException;
import io.kubehop.streaming.transport.ContextConfinement;
import io.kubehop.streaming.transport.DuplexTransport;
import io.kubehop.streaming.transport.IdleTimer;
import io.kubehop.streaming.transport.LingeringClose;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A SPDY/3.1 session as spdystream runs it, over a {@link DuplexTransport}, confined to one Vert.x
 * context (no locks: every state change happens on that context; calls from other threads are moved
 * onto it).
 *
 * <ul>
 *   <li><b>Roles.</b> The side that sent the HTTP upgrade is the {@linkplain Role#CLIENT client}
 *       (odd stream and ping ids); the {@linkplain Role#SERVER server} uses even ids and, as in
 *       Kubernetes, never opens streams. A server answers each SYN_STREAM with a SYN_REPLY carrying
 *       an empty header block, before any DATA on that stream.
 *   <li><b>No flow control.</b> WINDOW_UPDATE and SETTINGS are ignored and never sent;
 *       back-pressure is TCP's: the transport is paused while any stream's inbound queue is over
 *       its bound.
 *   <li><b>Pings</b> of the peer's parity are echoed; {@link #ping()} sends one of ours.
 *   <li><b>Close</b> resets every open stream (RST_STREAM CANCEL), then sends GOAWAY(OK) last (a Go
 *       peer stops reading when it sees GOAWAY). A client then closes the transport: it has read
 *       what it wanted. A server lingers: it keeps reading, ignores every frame but the client's
 *       own GOAWAY, and closes on that GOAWAY, on EOF, or after {@link #LINGER} (a session the
 *       client never opened a stream on closes at once: nothing to linger for). Upstream closes at
 *       once, and spdystream ends every stream when its read loop sees EOF, dropping the DATA
 *       frames still queued in its workers: a slow client lost the tail of stdout, as users of real
 *       clusters do ({@code kubectl cp} "unexpected EOF", kubernetes#60140, kubectl#1361). Reading
 *       on also keeps unread input from turning the close into an RST, which would destroy that
 *       tail in the client's kernel.
 *   <li><b>Errors.</b> A frame error from the decoder is fatal: GOAWAY with its status, then close
 *       at once.
 *   <li><b>Idle timeout.</b> Any frame read or written restarts it, pings included (spdystream's
 *       {@code idleAwareFramer}); on expiry the session closes as above.
 *   <li><b>Keepalive.</b> Optionally a PING of ours every interval ({@link #keepalive}), so that a
 *       middlebox cutting idle connections sees traffic; unanswered ones are not tracked.
 * </ul>
 */
public final class SpdySession implements StreamConnection {

  private static final Logger LOG = Logger.getLogger(SpdySession.class.getName());

  /**
   * How long a server waits after its GOAWAY for the client to close: the same bound as a spliced
   * hop's half-close. Upstream does not wait; a client reading the last few MiB from kernel buffers
   * is done well within this.
   */
  public static final Duration LINGER = LingeringClose.DEFAULT_LINGER;

  /** Which end of the upgrade this session is. */
  public enum Role {
    CLIENT,
    SERVER
  }

  private final Vertx vertx;
  private final Context context;
  private final ContextConfinement confinement;
  private final DuplexTransport transport;
  private final Role role;
  private final SpdyFrameEncoder encoder = new SpdyFrameEncoder();
  private final SpdyFrameDecoder decoder;
  private final Map<Integer, SpdyStream> streams = new HashMap<>();
  private final Map<Integer, Promise<Stream>> pendingCreates = new HashMap<>();
  private final Map<Integer, Promise<Void>> pendingPings = new HashMap<>();
  private final Set<SpdyStream> blocked = new HashSet<>();
  private final Promise<Void> closed = Promise.promise();
  private Handler<Stream> newStreamHandler;
  private int nextStreamId;
  private int nextPingId;
  private int nextPeerStreamId;
  private int lastPeerStreamId;
  private boolean goAwaySent;
  private boolean goAwayReceived;
  private boolean transportClosed;
  private boolean transportGone;
  private final IdleTimer idleTimer;
  private long lingerTimer = -1;
  private long keepaliveTimer = -1;
  private Consumer<Buffer> inboundTap = bytes -> {}; // tap(): a frame trace
  private Consumer<Buffer> outboundTap = bytes -> {};
  private volatile boolean transportFailed;
  private volatile boolean idleExpired;

  private SpdySession(Vertx vertx, DuplexTransport transport, Role role) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.confinement = new ContextConfinement(context);
    this.transport = transport;
    this.role = role;
    this.nextStreamId = role == Role.CLIENT ? 1 : 2;
    this.nextPingId = role == Role.CLIENT ? 1 : 2;
    this.nextPeerStreamId = role == Role.CLIENT ? 2 : 1;
    this.idleTimer =
        new IdleTimer(
            vertx,
            () -> {
              LOG.fine("spdy session idle, closing");
              idleExpired = true;
              close();
            });
    this.decoder =
        new SpdyFrameDecoder(
            new SpdyFrameDecoder.Listener() {
              @Override
              public void onFrame(SpdyFrame frame) {
                handleFrame(frame);
              }

              @Override
              public void onFrameError(SpdyProtocolException error) {
                handleFrameError(error);
              }
            });
  }

  /**
   * Starts a session over {@code transport}. Call on the transport's context (e.g. in the
   * completion of {@code toNetSocket()}); the session stays on that context.
   */
  public static SpdySession start(Vertx vertx, DuplexTransport transport, Role role) {
    SpdySession s = new SpdySession(vertx, transport, role);
    transport.handler(s::onBytes);
    transport.endHandler(v -> s.onTransportGone());
    transport.closeHandler(v -> s.onTransportGone());
    transport.exceptionHandler(
        e -> {
          LOG.log(Level.FINE, "spdy transport error", e);
          s.transportFailed = true;
          transport.close();
        });
    transport.drainHandler(v -> s.onDrain());
    return s;
  }

  /** The meter of the socket under this session, when it runs on one. */
  public java.util.Optional<io.kubehop.streaming.transport.SocketMeter.Reading> meter() {
    return transport.meter();
  }

  /** The local address of the transport (null if it has none). */
  public SocketAddress localAddress() {
    return transport.localAddress();
  }

  /** The peer address of the transport (null if it has none). */
  public SocketAddress remoteAddress() {
    return transport.remoteAddress();
  }

  public Role role() {
    return role;
  }

  /** Whether the transport failed (e.g. connection reset by peer) rather than ended in order. */
  public boolean transportFailed() {
    return transportFailed;
  }

  /**
   * Whether the transport is closed and the streams were ended for it. A stream that ends with this
   * already true was cut off, not finished by its peer. On the context.
   */
  public boolean transportClosed() {
    return transportClosed;
  }

  /** Whether the idle timeout closed this session. */
  public boolean idleExpired() {
    return idleExpired;
  }

  /**
   * Sets the idle timeout ({@link Duration#ZERO} disables it); every frame read or written restarts
   * it.
   */
  public SpdySession idleTimeout(Duration timeout) {
    onContext(
        () -> {
          if (!transportClosed) {
            idleTimer.set(timeout);
          }
        });
    return this;
  }

  /**
   * Sends a PING every {@code interval} until the session closes ({@link Duration#ZERO}: none, the
   * default). Each one counts as activity for the idle timeout on both ends, as any frame does. The
   * echo is not awaited: a peer that stops answering is the idle timeout's business, and keeping a
   * promise per ping would grow without bound then.
   */
  public SpdySession keepalive(Duration interval) {
    onContext(
        () -> {
          if (keepaliveTimer >= 0) {
            vertx.cancelTimer(keepaliveTimer);
            keepaliveTimer = -1;
          }
          if (!interval.isZero() && !transportClosed) {
            keepaliveTimer = vertx.setPeriodic(interval.toMillis(), id -> keepalivePing());
          }
        });
    return this;
  }

  private void keepalivePing() {
    if (goAwaySent || goAwayReceived || transportClosed) {
      return; // closing: nothing more of ours goes out
    }
    writeFrame(new SpdyFrame.Ping(nextPingId()));
  }

  private int nextPingId() {
    int id = nextPingId;
    nextPingId = nextPingId + 2 > 0 ? nextPingId + 2 : (role == Role.CLIENT ? 1 : 2);
    return id;
  }

  @Override
  public SpdySession newStreamHandler(Handler<Stream> handler) {
    onContext(() -> this.newStreamHandler = handler);
    return this;
  }

  @Override
  public Future<Stream> createStream(HeaderBlock headers) {
    if (!isOnContext()) {
      return callOnContext(() -> createStream(headers));
    }
    if (role == Role.SERVER) {
      return Future.failedFuture(
          new IllegalStateException("a Kubernetes streaming server never opens streams"));
    }
    if (goAwaySent || goAwayReceived || transportClosed) {
      return Future.failedFuture(new ConnectionClosedException("session is closing"));
    }
    if (nextStreamId <= 0) {
      return Future.failedFuture(new IllegalStateException("stream ids exhausted"));
    }
    int id = nextStreamId;
    nextStreamId += 2;
    SpdyStream stream = new SpdyStream(this, id, headers, true);
    streams.put(id, stream);
    Promise<Stream> promise = Promise.promise();
    pendingCreates.put(id, promise);
    writeFrame(SpdyFrame.SynStream.of(id, headers)).onFailure(promise::tryFail);
    return promise.future();
  }

  /** Sends a PING and completes when the peer echoes it. */
  public Future<Void> ping() {
    if (!isOnContext()) {
      return callOnContext(this::ping);
    }
    int id = nextPingId();
    Promise<Void> p = Promise.promise();
    pendingPings.put(id, p);
    writeFrame(new SpdyFrame.Ping(id)).onFailure(p::tryFail);
    return p.future();
  }

  @Override
  public Future<Void> close() {
    return close(GoAwayStatus.OK);
  }

  private Future<Void> close(GoAwayStatus status) {
    if (!isOnContext()) {
      return callOnContext(() -> close(status));
    }
    if (!goAwaySent && !transportClosed) {
      // Like spdystream's Reset(): streams this side already finished (FIN sent) get no RST_STREAM.
      for (SpdyStream s : new ArrayList<>(streams.values())) {
        if (!s.isLocalFinished()) {
          s.reset(RstStatus.CANCEL);
        }
      }
      goAwaySent = true;
      // No linger for a session in which the client never opened a stream (an upgrade that went
      // silent until the stream creation timeout): there is no output whose tail could be lost,
      // and lingering would hold every hop's connection for LINGER more instead of closing.
      boolean linger =
          role == Role.SERVER
              && status.equals(GoAwayStatus.OK)
              && !goAwayReceived
              && lastPeerStreamId != 0;
      writeFrame(new SpdyFrame.GoAway(lastPeerStreamId, status))
          .onComplete(
              ar -> {
                if (linger && ar.succeeded() && !transportClosed) {
                  lingerTimer = vertx.setTimer(LINGER.toMillis(), id -> transport.close());
                  transport
                      .resume(); // the reset streams no longer hold it back: read until the client
                  // is done
                } else {
                  transport.close();
                }
              });
    }
    return closed.future();
  }

  @Override
  public Future<Void> closeFuture() {
    return closed.future();
  }

  /** The ids of streams not yet finished (for tests and diagnostics). */
  public Future<List<Integer>> openStreamIds() {
    return callOnContext(() -> Future.succeededFuture(new ArrayList<>(streams.keySet())));
  }

  // ---- inbound ----

  /**
   * Bytes of this connection that were read before the session took the transport over (e.g. with a
   * 101).
   */
  void feed(Buffer bytes) {
    onContext(() -> onBytes(bytes));
  }

  /**
   * Shows {@code inbound} every byte this session reads and {@code outbound} every byte it writes,
   * in order, as they cross the transport (a frame trace decodes them). Set it on the session's
   * context before the first frame, since SPDY's header compression spans the whole connection. The
   * consumers must not keep or change the buffers.
   */
  public void tap(Consumer<Buffer> inbound, Consumer<Buffer> outbound) {
    this.inboundTap = inbound;
    this.outboundTap = outbound;
  }

  private void onBytes(Buffer bytes) {
    idleTimer.touch();
    inboundTap.accept(bytes);
    decoder.decode(bytes);
  }

  private void handleFrame(SpdyFrame frame) {
    if (goAwaySent) { // lingering: only the client's GOAWAY matters now; nothing more is written
      if (frame instanceof SpdyFrame.GoAway) {
        goAwayReceived = true;
        transport.close();
      }
      return;
    }
    if (frame instanceof SpdyFrame.Data d) {
      SpdyStream s = streams.get(d.streamId());
      if (s != null) { // frames of unknown streams are dropped, as spdystream does
        s.onData(d.data(), d.fin());
      }
    } else if (frame instanceof SpdyFrame.SynStream syn) {
      onSynStream(syn);
    } else if (frame instanceof SpdyFrame.SynReply reply) {
      SpdyStream s = streams.get(reply.streamId());
      Promise<Stream> p = pendingCreates.remove(reply.streamId());
      if (s != null && p != null) {
        p.tryComplete(s);
      }
      if (s != null && reply.fin()) {
        s.onRemoteFin();
      }
    } else if (frame instanceof SpdyFrame.Headers h) {
      SpdyStream s = streams.get(h.streamId());
      if (s != null && h.fin()) {
        s.onRemoteFin();
      }
    } else if (frame instanceof SpdyFrame.RstStream rst) {
      Promise<Stream> p = pendingCreates.remove(rst.streamId());
      if (p != null) {
        p.tryFail(new StreamResetException());
      }
      SpdyStream s = streams.get(rst.streamId());
      if (s != null) {
        s.onReset(rst.status());
      }
    } else if (frame instanceof SpdyFrame.Ping ping) {
      onPing(ping);
    } else if (frame instanceof SpdyFrame.GoAway) {
      goAwayReceived = true;
      pendingCreates
          .values()
          .forEach(p -> p.tryFail(new ConnectionClosedException("session is closing")));
      pendingCreates.clear();
      if (streams.isEmpty()) {
        transport.close();
      }
    }
    // SETTINGS and WINDOW_UPDATE: ignored, as spdystream ignores them (no flow control).
  }

  private void onSynStream(SpdyFrame.SynStream syn) {
    int id = syn.streamId();
    // the peer's streams have the peer's parity (SPDY/3.1 2.3.2: a client's are odd); an id of the
    // other parity, reused or going backwards is a stream error, answered as spdystream answers
    // the last two
    boolean peerParity = (id & 1) == (role == Role.SERVER ? 1 : 0);
    if (!peerParity || id < nextPeerStreamId || streams.containsKey(id)) {
      writeFrame(new SpdyFrame.RstStream(id, RstStatus.PROTOCOL_ERROR));
      return;
    }
    nextPeerStreamId = id + 2;
    lastPeerStreamId = id;
    if (goAwaySent || newStreamHandler == null) {
      writeFrame(new SpdyFrame.RstStream(id, RstStatus.REFUSED_STREAM));
      return;
    }
    SpdyStream stream = new SpdyStream(this, id, syn.headers(), false);
    streams.put(id, stream);
    try {
      newStreamHandler.handle(stream);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "stream handler failed, resetting stream " + id, e);
      stream.reset(); // spdystream answers a failed handler with RST_STREAM CANCEL
    }
    if (!stream.isReset()) {
      stream.replyIfNeeded();
    }
    if (syn.fin()) {
      stream.onRemoteFin();
    }
  }

  private void onPing(SpdyFrame.Ping ping) {
    boolean peerParity = (ping.id() & 1) == (role == Role.SERVER ? 1 : 0);
    if (peerParity) {
      writeFrame(ping);
    } else {
      Promise<Void> p = pendingPings.remove(ping.id());
      if (p != null) {
        p.tryComplete();
      }
    }
  }

  private void handleFrameError(SpdyProtocolException error) {
    LOG.fine(() -> "spdy protocol error: " + error.getMessage());
    close(error.goAwayStatus());
  }

  /**
   * The socket is closed, but Vert.x may still hold bytes read before the close in its inbound
   * queue (the transport was paused for a slow stream): take them, and the end, before ending the
   * streams; otherwise a slow reader loses the tail of the output. Vert.x's queue is bounded, so
   * this adds a bounded amount to the stream queues.
   */
  private void onTransportGone() {
    if (transportClosed || transportGone) {
      return;
    }
    transportGone = true;
    blocked.clear();
    try {
      transport.resume();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "resume after close", e);
    }
    context.runOnContext(v -> onTransportClosed()); // after what the resume delivers
  }

  private void onTransportClosed() {
    if (transportClosed) {
      return;
    }
    transportClosed = true;
    idleTimer.cancel();
    if (keepaliveTimer >= 0) {
      vertx.cancelTimer(keepaliveTimer);
      keepaliveTimer = -1;
    }
    if (lingerTimer >= 0) {
      vertx.cancelTimer(lingerTimer);
    }
    for (SpdyStream s : new ArrayList<>(streams.values())) {
      s.onConnectionClosed();
    }
    streams.clear();
    blocked.clear();
    pendingCreates.values().forEach(p -> p.tryFail(new ConnectionClosedException()));
    pendingPings.values().forEach(p -> p.tryFail(new ConnectionClosedException()));
    decoder.close();
    encoder.close();
    closed.tryComplete();
  }

  // ---- called by streams (on the context) ----

  Future<Void> writeFrame(SpdyFrame frame) {
    if (transportClosed) {
      return Future.failedFuture(new ConnectionClosedException());
    }
    idleTimer.touch();
    if (frame instanceof SpdyFrame.Data data
        && data.data().length() <= SpdyConstants.MAX_LENGTH
        && transport.coalescesWrites()) {
      // Header and payload as two writes (one gathering write on the socket): copying a 128 KiB
      // payload into a frame buffer was the runtime's second largest cost on bulk output.
      Buffer header = SpdyFrameEncoder.dataHeader(data);
      outboundTap.accept(header);
      outboundTap.accept(data.data());
      transport.write(header);
      return transport.write(data.data());
    }
    Buffer bytes = encoder.encode(frame);
    outboundTap.accept(bytes);
    return transport.write(bytes);
  }

  boolean writeQueueFull() {
    return transport.writeQueueFull();
  }

  void streamRemoved(SpdyStream stream) {
    streams.remove(stream.id());
    updateBackpressure(stream, false);
    if (goAwayReceived && streams.isEmpty() && !transportClosed) {
      transport.close();
    }
  }

  /** Pauses the transport while any stream's inbound queue is over its bound. */
  void updateBackpressure(SpdyStream stream, boolean isBlocked) {
    boolean before = blocked.isEmpty();
    if (isBlocked) {
      blocked.add(stream);
    } else {
      blocked.remove(stream);
    }
    if (before && !blocked.isEmpty() && !transportGone && !goAwaySent) {
      transport.pause();
    } else if (!before && blocked.isEmpty() && !transportClosed) {
      transport.resume();
    }
  }

  private void onDrain() {
    for (SpdyStream s : new ArrayList<>(streams.values())) {
      s.onDrain();
    }
  }

  /** On the context's event-loop thread (see {@link ContextConfinement#isOnContext}). */
  boolean isOnContext() {
    return confinement.isOnContext();
  }

  void onContext(Runnable action) {
    confinement.run(action);
  }

  <T> Future<T> callOnContext(Supplier<Future<T>> action) {
    return confinement.call(action);
  }

  @Override
  public String toString() {
    return "SpdySession[" + role + ", streams=" + streams.keySet() + "]";
  }
}
