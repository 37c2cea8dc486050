package io.kubehop.streaming.proxy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One spliced hop of a streaming session: the upgraded connection from the previous tier ({@code downstream}) and the
 * one this tier dialled to the next ({@code upstream}). Its sockets and their addresses stay reachable from here, so
 * that an inspector can prove the hop chain against {@code lsof}.
 */
public final class HopSession {

  private final String id;
  private final String target;
  private final NetSocket downstream;
  private final NetSocket upstream;
  private final Instant opened = Instant.now();
  private final AtomicLong bytesUp = new AtomicLong();
  private final AtomicLong bytesDown = new AtomicLong();
  private final Promise<Void> closed = Promise.promise();

  HopSession(String id, String target, NetSocket downstream, NetSocket upstream) {
    this.id = id;
    this.target = target;
    this.downstream = downstream;
    this.upstream = upstream;
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
    return downstream.localAddress();
  }

  public SocketAddress downstreamRemote() {
    return downstream.remoteAddress();
  }

  public SocketAddress upstreamLocal() {
    return upstream.localAddress();
  }

  public SocketAddress upstreamRemote() {
    return upstream.remoteAddress();
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
    downstream.close();
    upstream.close();
  }

  @Override
  public String toString() {
    return "hop " + id + " " + downstreamRemote() + "->" + downstreamLocal() + " => "
        + upstreamLocal() + "->" + upstreamRemote() + " (" + target + ")";
  }
}
