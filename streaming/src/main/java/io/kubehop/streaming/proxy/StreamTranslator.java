package io.kubehop.streaming.proxy;

import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.Status;
import io.kubehop.api.meta.StatusException;
import io.kubehop.streaming.httpstream.ConnectionClosedException;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.httpstream.UpgradeRequests;
import io.kubehop.streaming.remotecommand.ExitCodeException;
import io.kubehop.streaming.remotecommand.NoStatusException;
import io.kubehop.streaming.remotecommand.StatusWriter;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.client.SpdyExecutor;
import io.kubehop.streaming.spdy.SpdyDialer;
import io.kubehop.streaming.spdy.SpdySession;
import io.kubehop.streaming.trace.FrameTracer;
import io.kubehop.streaming.trace.WebSocketMessageTap;
import io.kubehop.streaming.transport.Dial;
import io.kubehop.streaming.transport.Liveness;
import io.kubehop.streaming.transport.SocketMeter;
import io.kubehop.streaming.websocket.ChannelConnection;
import io.kubehop.streaming.websocket.ChannelHandshake;
import io.kubehop.streaming.websocket.ChannelProtocol;
import io.kubehop.streaming.websocket.ChannelStream;
import io.kubehop.streaming.websocket.Channels;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetClient;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * KEP-4006's {@code StreamTranslatorProxy}: serves a WebSocket {@code v5.channel.k8s.io}
 * exec/attach session to the client and runs it as a SPDY client session against the next hop
 * ({@link SpdyExecutor}: POST upgrade offering v5…v1, streams error, stdin, stdout, stderr (no
 * tty), resize (tty), as client-go creates them).
 *
 * <p>Order, as upstream: the client's WebSocket handshake first (so after the 101 every failure is
 * in-band), then the initial empty message, then the upstream dial. Channel 0 is piped into the
 * SPDY stdin stream and v5's {@code ff 00} becomes its FIN; SPDY stdout/stderr are piped onto
 * channels 1/2; channel 4's JSON goes onto the resize stream. Channel 3 carries the result, always
 * a v4 JSON Status: Success; NonZeroExitCode with the ExitCode cause; an upstream Status (a refused
 * upgrade whose body is a Status) as it is; anything else InternalError 500, e.g. {@code Internal
 * error occurred: unable to upgrade connection: pod does not exist}; and when the next hop's
 * connection ended before its status arrived, a Failure that names it ({@code connection to kubelet
 * node-1 (127.0.1.1:10250) lost after 4.2 s}), where upstream reports Success. Then a close frame
 * 1000. The 101 carries the session id ({@code X-Kubehop-Session}); the hop records which side
 * ended first and whether the Status reached the client.
 *
 * <p>Back-pressure is per direction: a slow WebSocket reader pauses only the SPDY stdout/stderr
 * streams (and through them the SPDY socket), never the WebSocket read side, so stdin and resize
 * keep flowing; a backend that does not read stdin pauses channel 0 and, past its bound, the
 * WebSocket read side (one reader for all channels, as upstream).
 */
public final class StreamTranslator {

  private static final Logger LOG = Logger.getLogger(StreamTranslator.class.getName());

  /** {@code defaultIdleConnectionTimeout} of the apiserver's translator. */
  public static final Duration IDLE_TIMEOUT = Liveness.UPSTREAM_IDLE_TIMEOUT;

  /** Redirects followed per session at most (legacy redirect mode needs one: kubelet → runtime). */
  private static final int MAX_REDIRECTS = 1;

  private final Vertx vertx;
  private final SpdyExecutor spdy;
  private final HopRegistry registry;
  private final UpgradeAwareProxy.RedirectPolicy redirects;
  private final Liveness liveness;

  public StreamTranslator(Vertx vertx, HopRegistry registry) {
    this(vertx, vertx.createNetClient(), registry, UpgradeAwareProxy.RedirectPolicy.NEVER);
  }

  public StreamTranslator(
      Vertx vertx, HopRegistry registry, UpgradeAwareProxy.RedirectPolicy redirects) {
    this(vertx, vertx.createNetClient(), registry, redirects);
  }

  /**
   * @param redirects which redirects of the next hop to follow. Upstream's translator rejects them
   *     all ({@code NewSPDYExecutorRejectRedirects}), so kubectl 1.30+ failed against kubelets in
   *     redirect mode; kubehop follows what the {@link UpgradeAwareProxy} would (same host only,
   *     KEP-1558's ValidateProxyRedirects).
   */
  public StreamTranslator(
      Vertx vertx,
      NetClient client,
      HopRegistry registry,
      UpgradeAwareProxy.RedirectPolicy redirects) {
    this(vertx, client, registry, redirects, Liveness.DEFAULT);
  }

  /**
   * @param liveness the client side's idle timeout (every data message in either direction counts,
   *     pings do not, as wsstream), and how often both sides get a ping of this tier's: a WebSocket
   *     ping toward the client, a SPDY PING toward the next hop (upstream's translator pings the
   *     next hop every 5 s and the client never; off by default here, as before)
   */
  public StreamTranslator(
      Vertx vertx,
      NetClient client,
      HopRegistry registry,
      UpgradeAwareProxy.RedirectPolicy redirects,
      Liveness liveness) {
    this.vertx = vertx;
    this.spdy = new SpdyExecutor(vertx, client);
    this.registry = registry;
    this.redirects = redirects;
    this.liveness = liveness;
  }

  /**
   * {@code IsWebSocketRequestWithStreamCloseProtocol}: a WebSocket upgrade offering exactly {@code
   * v5.channel.k8s.io} among its subprotocols (repeated or comma-joined lines).
   */
  public static boolean isWebSocketRequestWithStreamCloseProtocol(MultiMap headers) {
    return UpgradeRequests.isWebSocket(headers)
        && ChannelHandshake.offers(headers).contains(ChannelProtocol.V5.wireName());
  }

  /**
   * Translates {@code req} toward {@code location} (the next hop's exec/attach URL with its query).
   * Completes with the hop once the SPDY upgrade succeeded; fails when the client's handshake was
   * refused (already answered) or the upstream failed (already reported on channel 3).
   */
  public Future<HopSession> translate(HttpServerRequest req, URI location, StreamOptions options) {
    return translate(req, location, options, Map.of());
  }

  /**
   * As {@link #translate(HttpServerRequest, URI, StreamOptions)}, adding {@code headers} to the
   * upstream upgrade request (e.g. credentials for the next hop). The client's own headers are not
   * forwarded; the session id and {@code X-Forwarded-For} are.
   */
  public Future<HopSession> translate(
      HttpServerRequest req, URI location, StreamOptions options, Map<String, String> headers) {
    long arrived = System.nanoTime();
    String session = UpgradeAwareProxy.sessionId(req);
    Map<String, String> upstreamHeaders = new LinkedHashMap<>(headers);
    upstreamHeaders.put(StreamHeaders.SESSION, session);
    if (req.remoteAddress() != null) {
      String before = req.getHeader("X-Forwarded-For");
      String client = req.remoteAddress().hostAddress();
      upstreamHeaders.put("X-Forwarded-For", before == null ? client : before + ", " + client);
    }
    // The id this tier used travels back in the 101 (HopRegistry.claim may have replaced the
    // client's).
    req.response().headers().set(StreamHeaders.SESSION, session);
    return ChannelHandshake.accept(vertx, req, List.of(ChannelProtocol.V5))
        .compose(
            accepted ->
                run(
                    accepted.webSocket(),
                    accepted
                        .connection()
                        .idleTimeout(liveness.idleTimeout())
                        .pingInterval(liveness.keepalive()),
                    SocketMeter.on(req.connection()),
                    location,
                    options,
                    session,
                    upstreamHeaders))
        .onSuccess(h -> registry.upgraded(h, arrived));
  }

  private Future<HopSession> run(
      ServerWebSocket ws,
      ChannelConnection conn,
      Optional<SocketMeter.Reading> connMeter,
      URI location,
      StreamOptions options,
      String session,
      Map<String, String> upstreamHeaders) {
    boolean stderr = options.stderr() && !options.tty();
    AtomicReference<HopSession> hop = new AtomicReference<>();
    ChannelStream stdin = options.stdin() ? open(conn, Channels.STDIN) : null;
    ReadStream<Buffer> resize =
        options.tty()
            ? ValidatedResize.of(
                open(conn, Channels.RESIZE),
                malformed -> {
                  HopSession h = hop.get();
                  if (h != null) {
                    h.end(SessionEnd.Side.SELF, SessionEnd.How.CLOSED);
                  }
                  conn.close((short) 1007, malformed);
                })
            : null;
    FrameTracer tracer = registry.frameTracer();
    if (tracer.traces(
        session)) { // --trace-frames: the messages this translator decodes and encodes anyway
      WebSocketMessageTap fromClient =
          new WebSocketMessageTap(
              tracer, session, registry.clientRole(), tracer.tier(), ChannelProtocol.V5);
      WebSocketMessageTap toClient =
          new WebSocketMessageTap(
              tracer, session, tracer.tier(), registry.clientRole(), ChannelProtocol.V5);
      conn.tap(
          SpdyTaps.guarded("frame trace", fromClient), SpdyTaps.guarded("frame trace", toClient));
      conn.closeFuture().onComplete(v -> fromClient.closed(ws.closeStatusCode()));
    }
    conn.sendInitial(
        options.stdout() ? Channels.STDOUT : stderr ? Channels.STDERR : Channels.ERROR);

    Promise<HopSession> hopPromise = Promise.promise();
    AtomicReference<SpdySession> upstream = new AtomicReference<>();
    conn.closeFuture()
        .onComplete(
            v -> { // the client went away: end the upstream session, which stops the command
              HopSession h = hop.get();
              if (h != null) {
                h.end(SessionEnd.Side.CLIENT, SessionEnd.How.CLOSED);
              }
              SpdySession up = upstream.get();
              if (up != null) {
                up.close();
              }
            });
    ReadStream<Buffer> in = Counted.read(stdin, n -> count(hop, n, true));
    WriteStream<Buffer> out =
        options.stdout()
            ? Counted.write(conn.stream(Channels.STDOUT), n -> count(hop, n, false))
            : null;
    WriteStream<Buffer> err =
        stderr ? Counted.write(conn.stream(Channels.STDERR), n -> count(hop, n, false)) : null;
    streamFollowingRedirects(
            location,
            MAX_REDIRECTS,
            upstreamHeaders,
            options,
            in,
            out,
            err,
            resize,
            (target, up) -> {
              upstream.set(up.session().keepalive(liveness.keepalive()));
              // before the first frame: SPDY's header compression spans the session
              registry
                  .spdyTaps(session, tracer.tier(), registry.backendRole())
                  .ifPresent(
                      taps -> {
                        up.session().tap(taps.towardNear(), taps.towardFar());
                        up.session().closeFuture().onComplete(v -> taps.close());
                      });
              HopSession h =
                  new HopSession(
                      session,
                      target.toString(),
                      HopSession.Kind.TRANSLATED,
                      ChannelProtocol.V5.wireName(),
                      up.protocol(),
                      ws.localAddress(),
                      ws.remoteAddress(),
                      up.session().localAddress(),
                      up.session().remoteAddress(),
                      () -> {
                        conn.close();
                        up.session().close();
                      });
              h.meter(connMeter, up.session().meter());
              hop.set(h);
              registry.add(h);
              Future.join(conn.closeFuture(), up.session().closeFuture())
                  .onComplete(v -> h.markClosed());
              if (conn.closeFuture().isComplete()) {
                up.session().close();
              }
              hopPromise.tryComplete(h);
            })
        .onComplete(
            ar -> {
              if (ar.failed()) {
                LOG.log(Level.FINE, "translated session ended with an error", ar.cause());
              }
              HopSession h = hop.get();
              Throwable outcome = ar.failed() ? ar.cause() : null;
              Status status;
              if (h != null && lost(outcome)) {
                SpdySession up = upstream.get();
                h.end(SessionEnd.Side.BACKEND, how(up));
                status = HopLoss.status(h);
                LOG.info(
                    "session "
                        + h.id()
                        + ": "
                        + status.message()
                        + " ("
                        + outcome.getMessage()
                        + ")");
              } else {
                if (h != null) {
                  h.end(SessionEnd.Side.BACKEND, SessionEnd.How.CLOSED);
                }
                status = status(outcome);
              }
              conn.stream(Channels.ERROR)
                  .write(Buffer.buffer(ApiJson.writeBytes(status)))
                  .onSuccess(
                      v -> {
                        if (h != null && !conn.closeFuture().isComplete()) {
                          h.markStatusDelivered();
                        }
                      })
                  .eventually(conn::close);
              hopPromise.tryFail(
                  ar.failed()
                      ? ar.cause()
                      : new IllegalStateException("session ended before upgrade"));
            });
    return hopPromise.future();
  }

  /**
   * Runs the session against {@code location}, or the place it redirects to when the policy allows.
   */
  private Future<Void> streamFollowingRedirects(
      URI location,
      int redirectsLeft,
      Map<String, String> headers,
      StreamOptions options,
      ReadStream<Buffer> stdin,
      WriteStream<Buffer> stdout,
      WriteStream<Buffer> stderr,
      ReadStream<Buffer> resize,
      BiConsumer<URI, SpdyDialer.Upgraded> onUpgraded) {
    int port = Dial.port(location);
    String uri =
        (location.getRawPath() == null || location.getRawPath().isEmpty()
                ? "/"
                : location.getRawPath())
            + (location.getRawQuery() == null ? "" : "?" + location.getRawQuery());
    SpdyExecutor.Target target =
        new SpdyExecutor.Target(location.getHost(), port, Dial.tls(location), "POST", uri, headers);
    return spdy.stream(
            target, options, stdin, stdout, stderr, resize, up -> onUpgraded.accept(location, up))
        .recover(
            e -> {
              if (e instanceof SpdyDialer.UpgradeFailedException refused
                  && refused.status() / 100 == 3
                  && refused.location() != null
                  && redirectsLeft > 0) {
                URI next = location.resolve(refused.location());
                if (redirects.follow(location, next)) {
                  return streamFollowingRedirects(
                      next,
                      redirectsLeft - 1,
                      headers,
                      options,
                      stdin,
                      stdout,
                      stderr,
                      resize,
                      onUpgraded);
                }
              }
              return Future.failedFuture(e);
            });
  }

  private static ChannelStream open(ChannelConnection conn, int channel) {
    conn.open(channel);
    return conn.stream(channel);
  }

  private static void count(AtomicReference<HopSession> hop, int n, boolean up) {
    HopSession h = hop.get();
    if (h != null) {
      if (up) {
        h.countUp(n);
      } else {
        h.countDown(n);
      }
    }
  }

  /**
   * Whether the next hop's session ended without a status: its connection went away before the
   * error stream delivered one ({@link NoStatusException}), or before the streams were even
   * created.
   */
  private static boolean lost(Throwable outcome) {
    return outcome instanceof NoStatusException || outcome instanceof ConnectionClosedException;
  }

  private static SessionEnd.How how(SpdySession up) {
    if (up == null) {
      return SessionEnd.How.CLOSED;
    }
    if (up.idleExpired()) {
      return SessionEnd.How.TIMEOUT;
    }
    return up.transportFailed() ? SessionEnd.How.RESET : SessionEnd.How.CLOSED;
  }

  /**
   * The channel 3 Status for how the upstream session ended, as upstream's translator writes it
   * (docs/design.md).
   */
  static Status status(Throwable outcome) {
    if (outcome == null) {
      return Status.streamSuccess();
    }
    if (outcome instanceof ExitCodeException) {
      return StatusWriter.status(outcome, "");
    }
    if (outcome instanceof StatusException se) {
      return se.status().bare();
    }
    if (outcome instanceof SpdyDialer.UpgradeFailedException refused) {
      Status upstream = decodeStatus(refused.body());
      if (upstream != null) {
        return upstream.bare();
      }
    }
    String message =
        outcome.getMessage() == null ? outcome.getClass().getSimpleName() : outcome.getMessage();
    return StatusException.internal(message).status().bare();
  }

  /**
   * A refusal body that is a {@code kind: Status} object, as client-go's SPDY round-tripper decodes
   * it.
   */
  private static Status decodeStatus(String body) {
    try {
      Status s = ApiJson.read(body, Status.class);
      return "Status".equals(s.kind()) && s.status() != null ? s : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
