package io.kubehop.streaming.proxy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One hop of a streaming session: the upgraded connection from the previous tier ({@code
 * downstream}) and the one this tier dialled to the next ({@code upstream}). Their addresses stay
 * reachable from here, so that an inspector can prove the hop chain against {@code lsof}. A hop is
 * either {@link Kind#SPLICE spliced} bytes ({@link UpgradeAwareProxy}), {@link Kind#TRANSLATED
 * translated} from a WebSocket {@code v5.channel.k8s.io} session to a SPDY one ({@link
 * StreamTranslator}), or {@link Kind#TUNNELED tunneled}: SPDY inside WebSocket messages toward the
 * client, plain SPDY toward the backend ({@link TunnelingHandler}).
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
  private final Promise<Void> closed = Promise.promise();

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
    TUNNELED
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
    return bytesDown.get();
  }

  void countUp(int n) {
    bytesUp.addAndGet(n);
  }

  void countDown(int n) {
    bytesDown.addAndGet(n);
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
    closer.run();
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
