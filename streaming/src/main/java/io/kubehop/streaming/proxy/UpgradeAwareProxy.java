package io.kubehop.streaming.proxy;

import io.kubehop.streaming.httpstream.ConnectionClosedException;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.httpstream.UpgradeRefusedException;
import io.kubehop.streaming.httpstream.UpgradeRequests;
import io.kubehop.streaming.remotecommand.StreamProtocol;
import io.kubehop.streaming.transport.Dial;
import io.kubehop.streaming.transport.DirectSplice;
import io.kubehop.streaming.transport.IdleTimer;
import io.kubehop.streaming.transport.LingeringClose;
import io.kubehop.streaming.transport.Liveness;
import io.kubehop.streaming.transport.PostUpgrades;
import io.kubehop.streaming.transport.SocketMeter;
import io.kubehop.streaming.transport.UpgradeHeaders;
import io.kubehop.streaming.transport.VertxInternals;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.logging.Logger;

/**
 * Forwards an HTTP/1.1 upgrade request (SPDY or WebSocket) to the next tier and splices the two
 * connections, like apimachinery's {@code UpgradeAwareHandler}: the apiserver uses it toward the
 * kubelet, the kubelet toward the runtime's streaming server.
 *
 * <p>The order matters, and follows {@code tryUpgrade}: dial the backend, send the request, read
 * the backend's response head, and only then take over the client connection. Once the client
 * connection is taken over, an error can no longer be reported as an HTTP response.
 *
 * <ul>
 *   <li>101: the backend's status and headers go to the client, then bytes flow both ways with
 *       backpressure ({@code pipeTo}: the reading side pauses while the writing side's queue is
 *       full); when either side closes, both close. There is no TCP half-close in Vert.x; stdin EOF
 *       travels inside SPDY or WebSocket instead.
 *   <li>400 and above: the backend's response is relayed (status, headers, body), then both
 *       connections close.
 *   <li>a redirect, when a {@link RedirectPolicy} allows it (the legacy {@code
 *       --redirect-container-streaming} mode): the request is sent again to the {@code Location},
 *       from this tier.
 *   <li>anything else: 500 {@code invalid upgrade response: status code N}; a dial failure: 500
 *       {@code error dialing backend: …}.
 * </ul>
 *
 * Every request gets a connection of its own (a {@link NetClient} dial, never a pooled connection),
 * so every hop is its own TCP connection and its own upgrade, as in Kubernetes.
 */
public final class UpgradeAwareProxy {

  /** KEP-1558's peek: the redirect (or any response head) must fit in the first 16 KiB. */
  public static final int MAX_RESPONSE_HEAD = 16 * 1024;

  private static final int MAX_ERROR_BODY = 1 << 20;

  /** Headers that never travel to the next hop: credentials stop at the tier that checked them. */
  private static final Set<String> NOT_FORWARDED =
      Set.of(
          "authorization",
          "proxy-authorization",
          PostUpgrades.ORIGINAL_METHOD_HEADER.toLowerCase(Locale.ROOT),
          "x-forwarded-for");

  /** Headers of a relayed error response that describe the backend connection, not the response. */
  private static final Set<String> NOT_RELAYED =
      Set.of("content-length", "transfer-encoding", "connection", "keep-alive");

  private static final SecureRandom RANDOM = new SecureRandom();

  private static final Logger LOG = Logger.getLogger(UpgradeAwareProxy.class.getName());

  private final NetClient client;
  private final ErrorResponder responder;
  private final RedirectPolicy redirects;
  private final HopRegistry registry;
  private final Duration idleTimeout;

  public UpgradeAwareProxy(
      Vertx vertx, ErrorResponder responder, RedirectPolicy redirects, HopRegistry registry) {
    this(vertx.createNetClient(), responder, redirects, registry);
  }

  /** A proxy whose spliced hops end after upstream's 4 h without a byte either way. */
  public UpgradeAwareProxy(
      NetClient client, ErrorResponder responder, RedirectPolicy redirects, HopRegistry registry) {
    this(client, responder, redirects, registry, Liveness.UPSTREAM_IDLE_TIMEOUT);
  }

  /**
   * @param idleTimeout how long a spliced hop may carry no byte in either direction before this
   *     tier closes both of its connections ({@link Duration#ZERO}: never, as upstream's {@code
   *     UpgradeAwareHandler}, which leaves idleness to the endpoints). A splice cannot send pings
   *     of its own: the endpoints' pings (SPDY PINGs, WebSocket pings) cross it and count as bytes.
   */
  public UpgradeAwareProxy(
      NetClient client,
      ErrorResponder responder,
      RedirectPolicy redirects,
      HopRegistry registry,
      Duration idleTimeout) {
    this.client = client;
    this.responder = responder;
    this.redirects = redirects;
    this.registry = registry;
    this.idleTimeout = idleTimeout;
  }

  /**
   * Whether redirects are followed, and where to (KEP-1558 {@code ValidateProxyRedirects}: same
   * host only).
   */
  public interface RedirectPolicy {
    RedirectPolicy NEVER = (from, to) -> false;

    boolean follow(URI from, URI to);

    /** Follows a redirect only to the host it came from, on any port. */
    static RedirectPolicy sameHost() {
      return (from, to) ->
          to.getHost() != null
              && to.getHost().equalsIgnoreCase(from.getHost())
              && ("http".equals(to.getScheme()) || "https".equals(to.getScheme()));
    }
  }

  /** The id of the session this request belongs to: the one the previous hop sent, or a new one. */
  public static String sessionId(HttpServerRequest request) {
    String id = request.getHeader(StreamHeaders.SESSION);
    if (id != null && id.matches("[A-Za-z0-9._-]{1,64}")) {
      return id;
    }
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * Proxies {@code request} to {@code location} (scheme, host, port, path and query of the next
   * hop). The returned future completes with the spliced hop, or fails once the error has been
   * answered.
   */
  public Future<HopSession> proxy(HttpServerRequest request, URI location) {
    if (!UpgradeRequests.isUpgrade(request.headers())) {
      responder.error(request, 400, "Upgrade request required");
      return Future.failedFuture(new UpgradeRefusedException(400, "Upgrade request required"));
    }
    long arrived = System.nanoTime();
    request.pause();
    String session = sessionId(request);
    return send(request, Outgoing.of(request), location, session)
        .compose(backend -> answer(request, backend, session))
        .onSuccess(hop -> registry.upgraded(hop, arrived));
  }

  /**
   * What this tier sends to the next hop for {@code request}: the method and the headers before
   * this tier's own ({@code X-Forwarded-For}, the session). The {@link TunnelingHandler} sends a
   * rewritten SPDY request instead.
   */
  record Outgoing(String method, MultiMap headers) {
    static Outgoing of(HttpServerRequest request) {
      return new Outgoing(PostUpgrades.method(request), request.headers());
    }
  }

  /**
   * The next hop's connection after its response head: the location answered, the head, bytes read
   * past it.
   */
  record Backend(URI location, NetSocket socket, ResponseHead head, Buffer rest) {}

  /**
   * Dials {@code location}, sends {@code outgoing} and reads the response head, following redirects
   * as the policy allows. A dial or read failure is answered to the client through the responder,
   * and the future fails.
   */
  Future<Backend> send(HttpServerRequest request, Outgoing outgoing, URI location, String session) {
    return send(request, outgoing, location, session, 0);
  }

  ErrorResponder responder() {
    return responder;
  }

  private Future<Backend> send(
      HttpServerRequest request,
      Outgoing outgoing,
      URI location,
      String session,
      int redirectsSoFar) {
    int port = Dial.port(location);
    return client
        .connect(Dial.to(location))
        .recover(
            e -> {
              responder.error(
                  request,
                  500,
                  "error dialing backend: dial tcp "
                      + location.getHost()
                      + ":"
                      + port
                      + ": "
                      + describe(e));
              return Future.failedFuture(e);
            })
        .compose(
            socket -> {
              socket.write(requestHead(request, outgoing, location, session));
              return readHead(socket)
                  .onFailure(
                      e -> {
                        socket.close();
                        responder.error(
                            request, 500, "error reading backend response: " + describe(e));
                      })
                  .map(
                      headAndRest ->
                          new Backend(location, socket, headAndRest.head, headAndRest.rest));
            })
        .compose(backend -> followIfRedirect(request, outgoing, backend, session, redirectsSoFar));
  }

  private Future<Backend> followIfRedirect(
      HttpServerRequest request, Outgoing outgoing, Backend backend, String session, int count) {
    int code = backend.head.statusCode();
    if (code < 300 || code >= 400 || count > 0) {
      return Future.succeededFuture(backend);
    }
    String target = backend.head.header("Location").orElse(null);
    if (target == null) {
      return Future.succeededFuture(backend);
    }
    URI next = backend.location.resolve(target);
    if (!redirects.follow(backend.location, next)) {
      return Future.succeededFuture(backend);
    }
    backend.socket.close();
    return send(request, outgoing, next, session, count + 1);
  }

  private Future<HopSession> answer(HttpServerRequest request, Backend backend, String session) {
    int code = backend.head.statusCode();
    if (code == 101) {
      return splice(request, backend, session);
    }
    if (code >= 400) {
      relayError(request, backend);
      return Future.failedFuture(new UpgradeRefusedException(code, "backend answered " + code));
    }
    backend.socket.close();
    String message = "invalid upgrade response: status code " + code;
    responder.error(request, 500, message);
    return Future.failedFuture(new UpgradeRefusedException(500, message));
  }

  private Future<HopSession> splice(HttpServerRequest request, Backend backend, String session) {
    HttpServerResponse response = request.response();
    for (Map.Entry<String, String> header : backend.head.headers()) {
      response.headers().add(header.getKey(), header.getValue());
    }
    // The id this tier used, which need not be the one the client sent (HopRegistry.claim).
    response.headers().set(StreamHeaders.SESSION, session);
    NetSocket up = backend.socket;
    Future<NetSocket> taken;
    try {
      taken = request.toNetSocket();
    } catch (RuntimeException e) {
      // Vert.x throws (NoSuchElementException: httpDecoder) instead of failing when the client left
      // meanwhile.
      taken = Future.failedFuture(e);
    }
    return taken
        .onFailure(e -> up.close())
        .map(
            down -> {
              ResponseHead head = backend.head;
              String protocol =
                  head.header(StreamHeaders.PROTOCOL_VERSION)
                      .orElseGet(() -> head.header(StreamHeaders.WEBSOCKET_PROTOCOL).orElse(null));
              HopSession hop =
                  new HopSession(
                      session,
                      backend.location.toString(),
                      head.header(UpgradeHeaders.UPGRADE).orElse(null),
                      protocol,
                      down,
                      up);
              hop.meter(SocketMeter.on(down), SocketMeter.on(up));
              registry.add(hop);
              Readers readers = readers(hop, head, protocol, down);
              Consumer<Buffer> tapUp = readers.towardBackend();
              Consumer<Buffer> tapDown = readers.towardClient();
              if (backend.rest.length() > 0) {
                hop.countDown(backend.rest.length());
                down.write(backend.rest);
                tapDown.accept(backend.rest);
              }
              Future<Void> upClosed = closed(up, hop, SessionEnd.Side.BACKEND);
              Future<Void> downClosed = closed(down, hop, SessionEnd.Side.CLIENT);
              // When either side ends, both end (upgradeaware.go closes both once one copy loop
              // returns), but only after
              // the bytes already read from the ending side were written: its endHandler fires
              // behind its buffered data
              // (pipe() ends the other side there). Closing the other side on closeHandler instead
              // cut the tail of a
              // stream that a slow reader had not drained yet. And "end" is a lingering close, not
              // a close: input
              // arriving meanwhile would otherwise turn the close into an RST, which destroys that
              // tail in the peer.
              Future.join(upClosed, downClosed).onComplete(v -> hop.markClosed());
              IdleTimer idle =
                  new IdleTimer(
                      Vertx.currentContext().owner(),
                      () -> { // silent both ways: this tier ends the hop, so both connections go
                        hop.end(SessionEnd.Side.SELF, SessionEnd.How.TIMEOUT);
                        down.close();
                        up.close();
                      });
              idle.set(idleTimeout);
              hop.closeFuture().onComplete(v -> idle.cancel());
              IntConsumer countUp = n -> touch(idle, n, hop::countUp);
              IntConsumer countDown = n -> touch(idle, n, hop::countDown);
              Relay upward = pipe(down, up, countUp, tapUp, () -> {}, hop, SessionEnd.Side.CLIENT);
              Relay downward =
                  pipe(
                      up,
                      down,
                      countDown,
                      tapDown,
                      readers.backendGone(),
                      hop,
                      SessionEnd.Side.BACKEND);
              if (!readers.keepBuffers()) {
                DirectSplice.Pair direct =
                    DirectSplice.install(down, up, countUp, tapUp, countDown, tapDown);
                if (direct != null) {
                  upward.handOver(direct.aToB());
                  downward.handOver(direct.bToA());
                }
              }
              return hop;
            });
  }

  /**
   * What reads along a spliced hop, each direction after it was relayed, and what runs when the
   * backend's connection ended, before the client's is closed.
   */
  private record Readers(
      Consumer<Buffer> towardBackend,
      Consumer<Buffer> towardClient,
      Runnable backendGone,
      boolean keepBuffers) {}

  /**
   * The readers of a spliced SPDY hop: {@code --trace-frames} and {@code --record-sessions} decode
   * a copy of each direction; an exec or attach always gets an {@link ErrorStreamWatch}, so that a
   * backend gone without a status leaves the client a Failure naming it ({@link HopLoss}) rather
   * than a close that client-go reads as success. A spliced WebSocket is relayed as it is: the
   * translating tier (or the runtime) above it speaks for it.
   */
  private Readers readers(HopSession hop, ResponseHead head, String protocol, NetSocket down) {
    Readers none = new Readers(b -> {}, b -> {}, () -> {}, false);
    if (!"SPDY/3.1".equalsIgnoreCase(head.header(UpgradeHeaders.UPGRADE).orElse(""))) {
      return none;
    }
    Readers readers = none;
    Optional<SpdyTaps> taps =
        registry.spdyTaps(hop.id(), registry.clientRole(), registry.backendRole());
    if (taps.isPresent()) {
      // a frame trace or a recording keeps slices of what it reads: those hops keep Vert.x's copy
      readers = new Readers(taps.get().towardFar(), taps.get().towardNear(), () -> {}, true);
      hop.closeFuture().onComplete(v -> taps.get().close());
    }
    Optional<StreamProtocol> remoteCommand = remoteCommand(hop, protocol);
    if (remoteCommand.isEmpty()) {
      return readers;
    }
    ErrorStreamWatch watch = new ErrorStreamWatch();
    hop.closeFuture().onComplete(v -> watch.close());
    Consumer<Buffer> watchUp = watch::towardBackend;
    Consumer<Buffer> watchDown = watch::towardClient;
    return new Readers(
        watchUp.andThen(readers.towardBackend()),
        watchDown.andThen(readers.towardClient()),
        () -> lastWords(hop, watch, remoteCommand.get(), down),
        readers.keepBuffers());
  }

  /**
   * The remotecommand protocol of an exec or attach hop (as the tier that accepted it said, or as
   * the negotiated protocol names it when no tier said); empty for a port-forward.
   */
  static Optional<StreamProtocol> remoteCommand(HopSession hop, String protocol) {
    Optional<String> subresource = hop.subject().map(SessionSubject::subresource);
    if (subresource.isPresent()
        && !subresource.get().equals("exec")
        && !subresource.get().equals("attach")) {
      return Optional.empty();
    }
    if (subresource.isEmpty() && (protocol == null || protocol.isEmpty())) {
      return Optional.empty();
    }
    return StreamProtocol.fromWireName(protocol);
  }

  /**
   * The backend's connection ended: if it ended first (not torn down after the client's) and left
   * the error stream unanswered, the client gets the Failure on it, with FIN, ahead of the close.
   */
  private static void lastWords(
      HopSession hop, ErrorStreamWatch watch, StreamProtocol protocol, NetSocket down) {
    boolean backendFirst = hop.ended().map(e -> e.first() == SessionEnd.Side.BACKEND).orElse(false);
    if (!backendFirst) {
      return;
    }
    Buffer payload = HopLoss.errorStream(hop, protocol);
    watch
        .lastWords(payload)
        .ifPresent(
            frame -> {
              LOG.info(
                  "session "
                      + hop.id()
                      + ": "
                      + payload.toString(StandardCharsets.UTF_8)
                      + " sent on the error stream");
              hop.countDown(frame.length());
              down.write(frame);
            });
  }

  private static void touch(IdleTimer idle, int bytes, IntConsumer counter) {
    idle.touch();
    counter.accept(bytes);
  }

  /**
   * Copies {@code from} to {@code to}, pausing {@code from} while {@code to}'s write queue is full;
   * the end of {@code from} is recorded on {@code hop} as the end of {@code side}, then {@code
   * beforeEnd} may write its last bytes to {@code to}, then {@code to} is closed.
   */
  private static Relay pipe(
      NetSocket from,
      NetSocket to,
      IntConsumer counter,
      Consumer<Buffer> tap,
      Runnable beforeEnd,
      HopSession hop,
      SessionEnd.Side side) {
    VertxInternals.closeOnTlsCloseNotify(from); // over TLS, the other tier's half-close
    Relay relay = new Relay(from);
    from.handler(
        buffer -> {
          counter.accept(buffer.length());
          to.write(buffer);
          tap.accept(buffer);
          if (to.writeQueueFull()) {
            relay.paused = true;
            from.pause();
            to.drainHandler(
                v -> {
                  relay.paused = false;
                  from.resume();
                  relay.activateLater();
                });
          }
        });
    from.endHandler(
        v -> {
          hop.end(side, SessionEnd.How.CLOSED);
          beforeEnd.run();
          LingeringClose.halfClose(to, LingeringClose.DEFAULT_LINGER);
        });
    from.exceptionHandler(
        e -> {
          hop.end(side, SessionEnd.How.RESET);
          from.close();
        });
    from.resume();
    return relay;
  }

  /**
   * One direction of a splice, relayed through Vert.x until a {@link DirectSplice} takes over. It
   * takes over only once Vert.x's queue of the socket is empty: {@code resume()} delivers what was
   * read before the splice began (the backend's socket is paused from its response head on) in a
   * task on the event loop, so the hand-over is a task queued after it, and is put off again while
   * the Vert.x side is paused by a full peer.
   */
  private static final class Relay {
    private final NetSocket from;
    private DirectSplice direct;
    boolean paused;

    Relay(NetSocket from) {
      this.from = from;
    }

    void handOver(DirectSplice splice) {
      direct = splice;
      activateLater();
    }

    void activateLater() {
      if (direct == null || direct.isActive()) {
        return;
      }
      VertxInternals.channel(from)
          .ifPresent(
              c ->
                  c.eventLoop()
                      .execute(
                          () -> {
                            if (!paused) {
                              direct.activate();
                            }
                          }));
    }
  }

  private static Future<Void> closed(NetSocket socket, HopSession hop, SessionEnd.Side side) {
    Promise<Void> promise = Promise.promise();
    socket.closeHandler(
        v -> {
          hop.end(side, SessionEnd.How.CLOSED);
          promise.tryComplete();
        });
    return promise.future();
  }

  /**
   * Relays a backend's error response (status, headers, body up to 1 MiB), then closes both
   * connections.
   */
  static void relayError(HttpServerRequest request, Backend backend) {
    ResponseHead head = backend.head;
    int contentLength = head.header("Content-Length").map(Integer::parseInt).orElse(-1);
    Buffer body = Buffer.buffer().appendBuffer(backend.rest);
    Promise<Buffer> complete = Promise.promise();
    NetSocket socket = backend.socket;
    Runnable finish =
        () ->
            complete.tryComplete(
                contentLength >= 0 && body.length() > contentLength
                    ? body.getBuffer(0, contentLength)
                    : body);
    if (contentLength >= 0 && body.length() >= contentLength) {
      finish.run();
    } else {
      socket.handler(
          b -> {
            body.appendBuffer(b);
            if ((contentLength >= 0 && body.length() >= contentLength)
                || body.length() > MAX_ERROR_BODY) {
              finish.run();
            }
          });
      socket.endHandler(v -> finish.run());
      socket.exceptionHandler(e -> finish.run());
      socket.resume();
    }
    complete
        .future()
        .onComplete(
            ar -> {
              socket.close();
              HttpServerResponse response = request.response();
              if (response.ended()) {
                return;
              }
              response.setStatusCode(head.statusCode()).setStatusMessage(head.reason());
              for (Map.Entry<String, String> header : head.headers()) {
                if (!NOT_RELAYED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                  response.headers().add(header.getKey(), header.getValue());
                }
              }
              // Upstream echoes the error and closes the connection: the client may not reuse it.
              response
                  .putHeader("Connection", "close")
                  .end(ar.result())
                  .onComplete(v -> request.connection().close());
            });
  }

  private record HeadAndRest(ResponseHead head, Buffer rest) {}

  private static Future<HeadAndRest> readHead(NetSocket socket) {
    Promise<HeadAndRest> promise = Promise.promise();
    Buffer received = Buffer.buffer();
    socket.handler(
        chunk -> {
          received.appendBuffer(chunk);
          try {
            ResponseHead.parse(received, MAX_RESPONSE_HEAD)
                .ifPresent(
                    head -> {
                      socket.pause();
                      socket.handler(null);
                      socket.endHandler(null);
                      socket.exceptionHandler(null);
                      promise.tryComplete(
                          new HeadAndRest(
                              head, received.getBuffer(head.length(), received.length())));
                    });
          } catch (IllegalArgumentException e) {
            promise.tryFail(e);
          }
        });
    socket.endHandler(
        v ->
            promise.tryFail(
                new ConnectionClosedException("backend closed the connection before responding")));
    socket.exceptionHandler(promise::tryFail);
    return promise.future();
  }

  private static Buffer requestHead(
      HttpServerRequest request, Outgoing outgoing, URI location, String session) {
    String method = outgoing.method();
    String target =
        (location.getRawPath() == null || location.getRawPath().isEmpty()
                ? "/"
                : location.getRawPath())
            + (location.getRawQuery() == null ? "" : "?" + location.getRawQuery());
    StringBuilder head =
        new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    MultiMap headers = outgoing.headers();
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (!NOT_FORWARDED.contains(name)
          && !name.equals(StreamHeaders.SESSION.toLowerCase(Locale.ROOT))) {
        head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
      }
    }
    String forwardedFor = request.getHeader("X-Forwarded-For");
    String client = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    if (client != null) {
      head.append("X-Forwarded-For: ")
          .append(forwardedFor == null ? client : forwardedFor + ", " + client)
          .append("\r\n");
    }
    head.append(StreamHeaders.SESSION).append(": ").append(session).append("\r\n\r\n");
    return Buffer.buffer(head.toString(), StandardCharsets.ISO_8859_1.name());
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    if (message != null && message.toLowerCase(Locale.ROOT).contains("connection refused")) {
      return "connect: connection refused";
    }
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
