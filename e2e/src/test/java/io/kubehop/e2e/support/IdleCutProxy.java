package io.kubehop.e2e.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy that behaves like a load balancer with an idle timeout: it relays every accepted
 * connection to one target, and closes both sides of a connection once {@code idleCut} passed
 * without a byte in either direction (as AWS ELB's 60 s default, or a NAT's state timeout). Tests
 * point a client or a tier at {@link #port()} to put the cut on one hop.
 *
 * <p>The clock of a connection starts at the first byte of the answer: a load balancer counts the
 * wait for a response too, but here a handshake slowed by a loaded machine must not be what a test
 * with a short T measures.
 *
 * <p>The case is a 60 s cut; tests use a few seconds, which is the same test with a shorter
 * T. It records the first request line of every connection it cut, so that a test can tell the
 * streaming connection from kubectl's pooled API connections, which it cuts too.
 *
 * <p>On the event loop only: each connection has one re-armed timer, never a sleeping thread.
 */
public final class IdleCutProxy implements AutoCloseable {

  private final Vertx vertx;
  private final long idleMillis;
  private final NetServer server;
  private final NetClient client;
  private final List<String> cut = new CopyOnWriteArrayList<>();
  private final String targetHost;
  private final int targetPort;

  private IdleCutProxy(Vertx vertx, Duration idleCut, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.idleMillis = idleCut.toMillis();
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = vertx.createNetServer();
    this.client = vertx.createNetClient();
  }

  /** Listens on a free port of 127.0.0.1 and relays to {@code targetHost:targetPort}. */
  public static Future<IdleCutProxy> start(
      Vertx vertx, Duration idleCut, String targetHost, int targetPort) {
    return start(vertx, idleCut, "127.0.0.1", 0, targetHost, targetPort);
  }

  /**
   * Listens on {@code host:port} (0: a free one) and relays to {@code targetHost:targetPort}, e.g.
   * on a Node's advertised address in front of a kubelet bound elsewhere.
   */
  public static Future<IdleCutProxy> start(
      Vertx vertx, Duration idleCut, String host, int port, String targetHost, int targetPort) {
    IdleCutProxy proxy = new IdleCutProxy(vertx, idleCut, targetHost, targetPort);
    return proxy.server.connectHandler(proxy::accept).listen(port, host).map(s -> proxy);
  }

  public int port() {
    return server.actualPort();
  }

  /** The first request line of each connection cut so far, in order. */
  public List<String> cut() {
    return List.copyOf(cut);
  }

  private void accept(NetSocket down) {
    down.pause();
    client
        .connect(targetPort, targetHost)
        .onFailure(e -> down.close())
        .onSuccess(up -> new Relay(down, up).start());
  }

  /** One relayed connection: both directions, the idle timer, the first request line. */
  private final class Relay {
    private final NetSocket down;
    private final NetSocket up;
    private final StringBuilder firstLine = new StringBuilder();
    private long lastByte = System.nanoTime();
    private long timer = -1;
    private boolean closed;

    Relay(NetSocket down, NetSocket up) {
      this.down = down;
      this.up = up;
    }

    void start() {
      pipe(down, up, true);
      pipe(up, down, false);
      down.closeHandler(v -> end());
      up.closeHandler(v -> end());
      down.resume();
    }

    private void pipe(NetSocket from, NetSocket to, boolean request) {
      from.handler(
          bytes -> {
            lastByte = System.nanoTime();
            if (!request && timer < 0 && !closed) {
              arm(idleMillis); // the answer began
            }
            if (request && firstLine.indexOf("\n") < 0 && firstLine.length() < 512) {
              firstLine.append(bytes.getString(0, Math.min(bytes.length(), 512), "ISO-8859-1"));
            }
            to.write(bytes);
            if (to.writeQueueFull()) {
              from.pause();
              to.drainHandler(v -> from.resume());
            }
          });
      from.endHandler(v -> to.end());
    }

    private void arm(long delay) {
      timer =
          vertx.setTimer(
              Math.max(1, delay),
              id -> {
                long idle = (System.nanoTime() - lastByte) / 1_000_000;
                if (closed) {
                  return;
                }
                if (idle >= idleMillis) {
                  String line = firstLine.toString();
                  int eol = line.indexOf('\r');
                  cut.add(eol < 0 ? line : line.substring(0, eol));
                  closed = true;
                  down.close();
                  up.close();
                } else {
                  arm(idleMillis - idle);
                }
              });
    }

    private void end() {
      if (!closed) {
        closed = true;
        if (timer >= 0) {
          vertx.cancelTimer(timer);
        }
        down.close();
        up.close();
      }
    }
  }

  @Override
  public void close() {
    client.close();
    server.close();
  }
}
