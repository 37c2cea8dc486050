package io.kubehop.streaming.portforward.client;

import io.kubehop.streaming.spdy.SpdyDialer;
import io.kubehop.streaming.spdy.SpdySession;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client side of {@code portforward.k8s.io} (client-go's {@code tools/portforward}
 * PortForwarder): one upgraded SPDY connection for the whole forward, then a listener per port and
 * address, each printing kubectl's {@code Forwarding from 127.0.0.1:8080 -> 80} line, and per
 * accepted connection {@code Handling connection for 8080} and a {@link ForwardedConnection}.
 *
 * <p>The forward runs until {@link #stop()} (success) or until the SPDY connection closes ({@value
 * #LOST_CONNECTION}). A failed connection ends only itself (see {@link ForwardedConnection}).
 */
public final class PortForwarder {

  /** {@code PortForwardProtocolV1Name}. */
  public static final String PROTOCOL_V1 = "portforward.k8s.io";

  /** {@code ErrLostConnectionToPod}. */
  public static final String LOST_CONNECTION = "lost connection to pod";

  /**
   * Upgrades the connection to the pod's {@code portforward} subresource offering {@code protocol}
   * (client-go's {@code httpstream.Dialer}): SPDY, the WebSocket tunnel, or one falling back to the
   * other.
   */
  @FunctionalInterface
  public interface Dialer {
    Future<SpdyDialer.Upgraded> dial(String protocol);
  }

  /** A failure that ends the forward, with kubectl's message. */
  public static final class PortForwardException extends Exception {
    private static final long serialVersionUID = 1L;

    public PortForwardException(String message) {
      super(message, null, false, false);
    }
  }

  private final Vertx vertx;
  private final Dialer dialer;
  private final List<ListenAddress> addresses;
  private final List<ForwardedPort> ports;
  private final PrintStream out;
  private final PrintStream errOut;
  private final ErrorLog log;
  private final List<NetServer> listeners = new ArrayList<>();
  private final Set<String> bound = new HashSet<>();
  private final AtomicInteger requestIds = new AtomicInteger();
  private final Promise<List<ForwardedPort>> ready = Promise.promise();
  private final Promise<Void> stopped = Promise.promise();
  private volatile SpdySession session;

  /**
   * @param addresses {@code --address} values ({@code localhost} or IPs)
   * @param ports {@code [LOCAL:]REMOTE} specs
   * @throws IllegalArgumentException with upstream's message when an address or port is invalid
   */
  public PortForwarder(
      Vertx vertx,
      Dialer dialer,
      List<String> addresses,
      List<String> ports,
      PrintStream out,
      PrintStream errOut) {
    this.vertx = vertx;
    this.dialer = dialer;
    this.addresses = ListenAddress.parse(addresses);
    if (ports.isEmpty()) {
      throw new IllegalArgumentException("you must specify at least 1 port");
    }
    this.ports = new ArrayList<>(ForwardedPort.parse(ports));
    this.out = out;
    this.errOut = errOut;
    this.log = new ErrorLog(errOut);
  }

  /** Completes with the ports (free local ports filled in) once every listener is up. */
  public Future<List<ForwardedPort>> ready() {
    return ready.future();
  }

  /**
   * {@code ForwardPorts}: dials, listens, and forwards until stopped (success) or until the
   * connection is lost; fails with a {@link PortForwardException} carrying kubectl's message.
   */
  public Future<Void> forwardPorts() {
    return dialer
        .dial(PROTOCOL_V1)
        .recover(e -> failure("error upgrading connection: " + e.getMessage()))
        .compose(
            upgraded -> {
              session = upgraded.session();
              if (stopped.future().isComplete()) {
                upgraded.session().close();
                return Future.succeededFuture();
              }
              if (!PROTOCOL_V1.equals(upgraded.protocol())) {
                upgraded.session().close();
                return failure(
                    "unable to negotiate protocol: client supports \""
                        + PROTOCOL_V1
                        + "\", server returned \""
                        + upgraded.protocol()
                        + "\"");
              }
              return forward(upgraded.session());
            })
        .eventually(this::closeAll);
  }

  /** Stops forwarding: {@link #forwardPorts()} then succeeds. Safe from any thread. */
  public void stop() {
    stopped.tryComplete();
  }

  private Future<Void> forward(SpdySession session) {
    Future<Boolean> anyListening = Future.succeededFuture(false);
    for (int i = 0; i < ports.size(); i++) {
      int index = i;
      anyListening =
          anyListening.compose(
              any ->
                  listenOnPort(session, index)
                      .map(
                          error -> {
                            if (error != null) {
                              errOut.println(
                                  "Unable to listen on port "
                                      + ports.get(index).local()
                                      + ": "
                                      + error);
                            }
                            return any || error == null;
                          }));
    }
    return anyListening.compose(
        any -> {
          if (!any) {
            return failure(
                "unable to listen on any of the requested ports: " + ForwardedPort.format(ports));
          }
          out.flush();
          ready.tryComplete(List.copyOf(ports));
          Promise<Void> result = Promise.promise();
          stopped.future().onComplete(v -> result.tryComplete());
          session
              .closeFuture()
              .onComplete(
                  v -> {
                    if (!stopped.future().isComplete()) {
                      result.tryFail(new PortForwardException(LOST_CONNECTION));
                    }
                  });
          return result.future();
        });
  }

  /**
   * {@code listenOnPort}: every address in turn; the error text when the port counts as failed
   * (every {@code localhost} address, or any explicit one), else null.
   */
  private Future<String> listenOnPort(SpdySession session, int index) {
    List<String> errors = new ArrayList<>();
    int[] failed = new int[2];
    int[] succeeded = new int[2];
    Future<Void> chain = Future.succeededFuture();
    for (ListenAddress address : addresses) {
      chain =
          chain.compose(
              v ->
                  listen(session, index, address)
                      .transform(
                          ar -> {
                            int mode = address.failureMode().ordinal();
                            if (ar.failed()) {
                              errors.add(ar.cause().getMessage());
                              failed[mode]++;
                            } else {
                              succeeded[mode]++;
                            }
                            return Future.succeededFuture();
                          }));
    }
    int all = ListenAddress.FailureMode.ALL.ordinal();
    int any = ListenAddress.FailureMode.ANY.ordinal();
    return chain.map(
        v ->
            (succeeded[all] == 0 && failed[all] > 0) || failed[any] > 0
                ? "Listeners failed to create with the following errors: ["
                    + String.join(" ", errors)
                    + "]"
                : null);
  }

  /** {@code getListener}: listens, records the local port, prints {@code Forwarding from}. */
  private Future<Void> listen(SpdySession session, int index, ListenAddress address) {
    ForwardedPort port = ports.get(index);
    String network = address.ipv6() ? "tcp6" : "tcp4";
    String key = address.address() + " " + port.local();
    // Vert.x shares a host:port among servers of one instance; a second listener must fail as in Go
    if (port.local() != 0 && bound.contains(key)) {
      return Future.failedFuture(
          new IllegalStateException(
              listenError(network, address.join(port.local()), "address already in use")));
    }
    NetServer server =
        vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true).setReuseAddress(true));
    server.connectHandler(
        socket -> {
          ForwardedPort current = ports.get(index);
          out.println("Handling connection for " + current.local());
          new ForwardedConnection(session, socket, current, requestIds.getAndIncrement(), log)
              .start();
        });
    return server
        .listen(port.local(), address.address())
        .recover(
            e ->
                Future.failedFuture(
                    new IllegalStateException(
                        listenError(
                            network,
                            address.join(port.local()),
                            e.getMessage() == null ? e.toString() : lower(e.getMessage())))))
        .map(
            s -> {
              listeners.add(s);
              ForwardedPort actual = new ForwardedPort(s.actualPort(), port.remote());
              ports.set(index, actual);
              bound.add(address.address() + " " + actual.local());
              out.println(
                  "Forwarding from " + address.join(actual.local()) + " -> " + actual.remote());
              return null;
            });
  }

  /** Go's {@code unable to create listener: Error listen tcp4 127.0.0.1:80: bind: …}. */
  private static String listenError(String network, String hostPort, String cause) {
    return "unable to create listener: Error listen "
        + network
        + " "
        + hostPort
        + ": bind: "
        + cause;
  }

  /** Java's {@code Address already in use} as Go's syscall text. */
  private static String lower(String message) {
    return message.isEmpty()
        ? message
        : message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
  }

  private Future<Void> closeAll() {
    List<Future<Void>> closing = new ArrayList<>();
    listeners.forEach(l -> closing.add(l.close()));
    SpdySession s = session;
    if (s != null) {
      closing.add(s.close());
    }
    return Future.join(closing).transform(ar -> Future.succeededFuture());
  }

  private static <T> Future<T> failure(String message) {
    return Future.failedFuture(new PortForwardException(message));
  }
}
