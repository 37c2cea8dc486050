package io.kubehop.streaming.proxy;

import io.kubehop.streaming.transport.SocketMeter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * One hop of a streaming session: the upgraded connection from the previous tier ({@code
 * downstream}) and the one this tier dialled to the next ({@code upstream}). Their addresses stay
 * reachable from here, so that an inspector can prove the hop chain against {@code lsof}. A hop is
 * either {@link Kind#SPLICE spliced} bytes ({@link UpgradeAwareProxy}), {@link Kind#TRANSLATED
 * translated} from a WebSocket {@code v5.channel.k8s.io} session to a SPDY one ({@link
 * StreamTranslator}), or {@link Kind#TUNNELED tunneled}: SPDY inside WebSocket messages toward the
 * client, plain SPDY toward the backend ({@link TunnelingHandler}).
 *
 * <p>It also records how the session ended ({@link #ended()}: which side first, and how), and,
 * where this tier decodes the session, whether a Status reached the client; the {@link HopRegistry}
 * remembers it for a while after both connections closed.
 */
public final class HopSession {

  private final String id;
  private final String target;
  private final Kind kind;
  private final String downstreamProtocol;
  private final String upstreamProtocol;
  private final SocketAddress downstreamLocal;
  private final SocketAddress downstreamRemote;
  private final SocketAddress upstreamLocal;
  private final SocketAddress upstreamRemote;
  private final Runnable closer;
  private final Instant opened = Instant.now();
  private final AtomicLong bytesUp = new AtomicLong();
  private final AtomicLong bytesDown = new AtomicLong();
  private volatile long lastActivityNanos = System.nanoTime();
  private volatile LongSupplier relayedDown;
  private final Promise<Void> closed = Promise.promise();
  private final AtomicReference<SessionEnd> ended = new AtomicReference<>();
  private volatile boolean statusDelivered;
  private volatile SessionSubject subject;
  private volatile String backendRole = "backend";
  private volatile SocketMeter.Reading downstreamMeter;
  private volatile SocketMeter.Reading upstreamMeter;

  /** How the two connections are joined. */
  public enum Kind {
    /** Bytes copied both ways after relaying the backend's 101 (SPDY or WebSocket end to end). */
    SPLICE,
    /**
     * A WebSocket {@code v5.channel.k8s.io} session toward the client, a SPDY session toward the
     * backend.
     */
    TRANSLATED,
    /**
     * SPDY bytes carried in WebSocket binary messages toward the client ({@code
     * SPDY/3.1+portforward.k8s.io}), the same bytes on a SPDY upgrade toward the backend ({@link
     * TunnelingHandler}).
     */
    TUNNELED,
    /**
     * An HTTP response relayed as it comes ({@code logs -f}): the client's request and, where the
     * tier asks the next one, a connection to it; a tier that reads the source itself (the kubelet,
     * a log file) has the client's side only.
     */
    RELAYED
  }

  /**
   * The spliced upgrade ({@code SPDY/3.1}, {@code websocket}); empty for the other kinds, whose
   * describe() says it.
   */
  private final String transport;

  /**
   * A splice of {@code downstream} and {@code upstream} carrying {@code protocol} (may be null)
   * over the upgrade.
   */
  HopSession(
      String id,
      String target,
      String upgrade,
      String protocol,
      NetSocket downstream,
      NetSocket upstream) {
    this(
        id,
        target,
        Kind.SPLICE,
        upgrade == null ? "" : upgrade,
        protocol,
        protocol,
        downstream.localAddress(),
        downstream.remoteAddress(),
        upstream.localAddress(),
        upstream.remoteAddress(),
        () -> {
          downstream.close();
          upstream.close();
        });
  }

  /** A translated or tunneled hop between two protocols. */
  HopSession(
      String id,
      String target,
      Kind kind,
      String downstreamProtocol,
      String upstreamProtocol,
      SocketAddress downstreamLocal,
      SocketAddress downstreamRemote,
      SocketAddress upstreamLocal,
      SocketAddress upstreamRemote,
      Runnable closer) {
    this(
        id,
        target,
        kind,
        "",
        downstreamProtocol,
        upstreamProtocol,
        downstreamLocal,
        downstreamRemote,
        upstreamLocal,
        upstreamRemote,
        closer);
  }

  private HopSession(
      String id,
      String target,
      Kind kind,
      String transport,
      String downstreamProtocol,
      String upstreamProtocol,
      SocketAddress downstreamLocal,
      SocketAddress downstreamRemote,
      SocketAddress upstreamLocal,
      SocketAddress upstreamRemote,
      Runnable closer) {
    this.id = id;
    this.transport = transport;
    this.target = target;
    this.kind = kind;
    this.downstreamProtocol = downstreamProtocol;
    this.upstreamProtocol = upstreamProtocol;
    this.downstreamLocal = downstreamLocal;
    this.downstreamRemote = downstreamRemote;
    this.upstreamLocal = upstreamLocal;
    this.upstreamRemote = upstreamRemote;
    this.closer = closer;
  }

  /**
   * One line for logs and inspectors: {@code splice SPDY/3.1 v5.channel.k8s.io}, {@code translated
   * websocket v5.channel.k8s.io -> SPDY/3.1 v4.channel.k8s.io}, or {@code tunneled websocket
   * SPDY/3.1+portforward.k8s.io -> SPDY/3.1 portforward.k8s.io}.
   */
  public String describe() {
    return switch (kind) {
      case SPLICE ->
          ("splice " + transport + " " + (downstreamProtocol == null ? "" : downstreamProtocol))
              .strip();
      case TRANSLATED ->
          "translated websocket " + downstreamProtocol + " -> SPDY/3.1 " + upstreamProtocol;
      case TUNNELED ->
          "tunneled websocket " + downstreamProtocol + " -> SPDY/3.1 " + upstreamProtocol;
      case RELAYED -> "relayed " + downstreamProtocol;
    };
  }

  public Kind kind() {
    return kind;
  }

  /**
   * For a translated or tunneled hop, the client's WebSocket subprotocol ({@code
   * v5.channel.k8s.io}, {@code SPDY/3.1+portforward.k8s.io}); for a splice, the protocol negotiated
   * end to end (may be null).
   */
  public String downstreamProtocol() {
    return downstreamProtocol;
  }

  /**
   * For a translated or tunneled hop, the SPDY protocol negotiated with the backend (e.g. {@code
   * v4.channel.k8s.io}, {@code portforward.k8s.io}).
   */
  public String upstreamProtocol() {
    return upstreamProtocol;
  }

  /** The session id that travels between hops in the {@code X-Kubehop-Session} header. */
  public String id() {
    return id;
  }

  /** Where this hop goes, e.g. {@code http://127.0.0.1:38471/exec/AbCdEf12}. */
  public String target() {
    return target;
  }

  public SocketAddress downstreamLocal() {
    return downstreamLocal;
  }

  public SocketAddress downstreamRemote() {
    return downstreamRemote;
  }

  public SocketAddress upstreamLocal() {
    return upstreamLocal;
  }

  public SocketAddress upstreamRemote() {
    return upstreamRemote;
  }

  public Instant opened() {
    return opened;
  }

  /** Bytes relayed from the client side toward the backend. */
  public long bytesUp() {
    return bytesUp.get();
  }

  /** Bytes relayed from the backend toward the client side. */
  public long bytesDown() {
    LongSupplier relayed = relayedDown;
    return relayed != null ? relayed.getAsLong() : bytesDown.get();
  }

  /**
   * The meters of the two sockets ({@link SocketMeter}), where this tier can reach their channels:
   * what an inspector reports per socket, as the kernel counts it.
   */
  void meter(Optional<SocketMeter.Reading> downstream, Optional<SocketMeter.Reading> upstream) {
    this.downstreamMeter = downstream.orElse(null);
    this.upstreamMeter = upstream.orElse(null);
  }

  /** The client-side socket's meter, where there is one. */
  public Optional<SocketMeter.Reading> downstreamMeter() {
    return Optional.ofNullable(downstreamMeter);
  }

  /** The backend-side socket's meter, where there is one. */
  public Optional<SocketMeter.Reading> upstreamMeter() {
    return Optional.ofNullable(upstreamMeter);
  }

  /** A relay's bytes toward the client, as its response counts them. */
  void countDownFrom(LongSupplier relayed) {
    this.relayedDown = relayed;
  }

  /**
   * A relayed response ended ({@link HopRegistry#relay}); {@code first} is the side that ended
   * first. Only the first call counts.
   */
  public void relayEnded(SessionEnd.Side first, SessionEnd.How how) {
    end(first, how);
    markClosed();
  }

  void countUp(int n) {
    bytesUp.addAndGet(n);
    lastActivityNanos = System.nanoTime();
  }

  void countDown(int n) {
    bytesDown.addAndGet(n);
    lastActivityNanos = System.nanoTime();
  }

  /** Time since the last byte either way (or since the upgrade). */
  public Duration idle() {
    return Duration.ofNanos(System.nanoTime() - lastActivityNanos);
  }

  /**
   * What the client-side socket carries, in the inspector's words: {@code websocket
   * v5.channel.k8s.io}, {@code spdy/3.1 v5.channel.k8s.io}, {@code spdy/3.1 portforward.k8s.io
   * tunnelled in websocket}.
   */
  public String downstreamWire() {
    return switch (kind) {
      case SPLICE -> wire(transport, downstreamProtocol);
      case TRANSLATED -> wire("websocket", downstreamProtocol);
      case TUNNELED -> wire("spdy/3.1", upstreamProtocol) + " tunnelled in websocket";
      case RELAYED -> downstreamProtocol;
    };
  }

  /** What the backend-side socket carries, as {@link #downstreamWire()} says it. */
  public String upstreamWire() {
    return switch (kind) {
      case SPLICE -> wire(transport, downstreamProtocol);
      case TRANSLATED, TUNNELED -> wire("spdy/3.1", upstreamProtocol);
      case RELAYED -> upstreamProtocol;
    };
  }

  private static String wire(String transport, String protocol) {
    String t = transport == null ? "" : transport.toLowerCase(java.util.Locale.ROOT);
    return (t + " " + (protocol == null ? "" : protocol)).strip();
  }

  /** Completes when both sockets are closed. */
  public Future<Void> closeFuture() {
    return closed.future();
  }

  void markClosed() {
    closed.tryComplete();
  }

  /** Closes both sides, e.g. when an operator kills the session. */
  public void close() {
    end(SessionEnd.Side.SELF, SessionEnd.How.CLOSED);
    closer.run();
  }

  /**
   * Records that {@code side}'s connection ended ({@code how}); only the first call counts, so the
   * ends that tearing down the other side causes do not overwrite it.
   */
  void end(SessionEnd.Side side, SessionEnd.How how) {
    ended.compareAndSet(null, new SessionEnd(side, how, Instant.now()));
  }

  /** How the session ended; empty while both connections are up. */
  public Optional<SessionEnd> ended() {
    return Optional.ofNullable(ended.get());
  }

  /** Milliseconds from the upgrade to the end, or to now while it runs. */
  public long durationMillis() {
    SessionEnd end = ended.get();
    return Duration.between(opened, end == null ? Instant.now() : end.at()).toMillis();
  }

  /**
   * Whether this tier saw a v4/v5 Status reach the client; only a tier that decodes the session
   * (the {@link StreamTranslator}) can know, so a splice or a tunnel always says false.
   */
  public boolean statusDelivered() {
    return statusDelivered;
  }

  void markStatusDelivered() {
    statusDelivered = true;
  }

  /** What the session is about, when the tier that accepted it said so ({@link HopRegistry}). */
  public Optional<SessionSubject> subject() {
    return Optional.ofNullable(subject);
  }

  void attach(SessionSubject subject, String backendRole) {
    this.subject = subject;
    this.backendRole = backendRole;
  }

  /**
   * The next tier as reports name it: the subject's backend (e.g. {@code kubelet node-1
   * (127.0.1.1:10250)}), else the role of this tier's backends and the address dialled.
   */
  public Peer backend() {
    SessionSubject s = subject;
    if (s != null && s.backend() != null) {
      return s.backend();
    }
    SocketAddress remote = upstreamRemote;
    String address =
        remote == null
            ? "unknown"
            : (remote.hostAddress() != null ? remote.hostAddress() : remote.host())
                + ":"
                + remote.port();
    return new Peer(backendRole, null, address);
  }

  @Override
  public String toString() {
    return "hop "
        + id
        + " "
        + kind
        + " "
        + downstreamRemote()
        + "->"
        + downstreamLocal()
        + " => "
        + upstreamLocal()
        + "->"
        + upstreamRemote()
        + " ("
        + target
        + ")";
  }
}
