package io.kubehop.streaming.cri;

import io.kubehop.cri.v1.AttachRequest;
import io.kubehop.cri.v1.AttachResponse;
import io.kubehop.cri.v1.ExecRequest;
import io.kubehop.cri.v1.ExecResponse;
import io.kubehop.cri.v1.PortForwardRequest;
import io.kubehop.cri.v1.PortForwardResponse;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.httpstream.UpgradeRequests;
import io.kubehop.streaming.inspect.DebugSessions;
import io.kubehop.streaming.inspect.EndView;
import io.kubehop.streaming.metrics.TierMetrics;
import io.kubehop.streaming.portforward.PortDialer;
import io.kubehop.streaming.portforward.PortForwardServer;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.StreamProtocol;
import io.kubehop.streaming.remotecommand.server.Executor;
import io.kubehop.streaming.remotecommand.server.RemoteCommandServer;
import io.kubehop.streaming.remotecommand.server.RemoteCommandStreams;
import io.kubehop.streaming.remotecommand.server.StreamWaiter;
import io.kubehop.streaming.transport.Liveness;
import io.kubehop.streaming.transport.PostUpgrades;
import io.kubehop.streaming.transport.SocketMeter;
import io.kubehop.streaming.websocket.ChannelHandshake;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The CRI streaming server (upstream's {@code pkg/kubelet/cri/streaming} server), for any runtime
 * that implements {@link Runtime}: {@link #getExec}, {@link #getAttach} and {@link #getPortForward}
 * park their validated request under a one-time token and answer the URL the kubelet streams to,
 * {@code <base>/exec/<token>}, {@code /attach/<token>} or {@code /portforward/<token>}; the first
 * GET or POST of that URL consumes the token and runs the session with the options of the parked
 * request (never the query's). An unknown, used, expired or wrong-kind token is a plain {@code 404
 * page not found}. Each session is logged in one line with the {@value StreamHeaders#SESSION} the
 * hops forward.
 *
 * <p>{@link #start()} listens as the {@link Config} says; a server of the caller's own can mount
 * {@link #handle} instead (upstream's {@code Server} is an {@code http.Handler}).
 */
public final class StreamingServer {

  private static final Logger LOG = Logger.getLogger(StreamingServer.class.getName());
  private static final String NOT_FOUND = "404 page not found\n";

  /**
   * What the server needs of a runtime (upstream's {@code streaming.Runtime}). Whether the
   * container or sandbox exists and runs is the runtime's to check, both when the CRI call is
   * answered and when the session starts.
   */
  public interface Runtime {

    /**
     * Runs {@code cmd} in the container with the session's streams (their options say stdin and
     * tty; terminal sizes come through {@link RemoteCommandStreams#resizeHandler}); completes with
     * the exit code once its output was delivered. A failure, thrown or returned, ends the session
     * with its message on the error stream.
     */
    Future<Integer> exec(String containerId, List<String> cmd, RemoteCommandStreams streams);

    /**
     * Joins the container's main process with the session's streams, as {@link #exec} does with a
     * new one.
     */
    Future<Integer> attach(String containerId, RemoteCommandStreams streams);

    /**
     * Where a port-forward into the sandbox goes, or empty when there is no such sandbox (the
     * server then answers 404). Upstream's runtime copies each forwarded connection itself; here it
     * dials, and the server splices.
     */
    Optional<PortForwardTarget> portForward(String podSandboxId);
  }

  /**
   * A sandbox's network as port-forward reaches it.
   *
   * @param address what the session's log line names (the sandbox's IP)
   * @param dialer opens a connection to one of its ports, per forwarded connection
   */
  public record PortForwardTarget(String address, PortDialer dialer) {}

  /**
   * The server's settings (upstream's {@code streaming.Config}), plus the token limits upstream
   * fixes in its {@code requestCache}.
   *
   * @param address where {@link #start()} listens
   * @param port where {@link #start()} listens; 0 picks a free port
   * @param baseUrl the start of the URLs handed out, e.g. {@code http://10.0.0.1:10010}; null for
   *     the listening address
   * @param streamIdleTimeout how long a session may stay silent before its connection is closed
   * @param streamCreationTimeout how long a SPDY client may take to open its streams
   * @param supportedRemoteCommandProtocols the SPDY exec/attach protocols offered, in preference
   *     order
   * @param supportedPortForwardProtocols the SPDY port-forward protocols offered
   * @param tokenTtl how long a parked request waits for its URL to be used
   * @param maxInFlight how many requests may be parked at once
   * @param streamKeepalive how often a session's connection carries a ping of this server's (SPDY
   *     PING, WebSocket ping); {@link Duration#ZERO}: never, as upstream
   */
  public record Config(
      String address,
      int port,
      String baseUrl,
      Duration streamIdleTimeout,
      Duration streamCreationTimeout,
      List<String> supportedRemoteCommandProtocols,
      List<String> supportedPortForwardProtocols,
      Duration tokenTtl,
      int maxInFlight,
      Duration streamKeepalive) {

    public Config {
      Objects.requireNonNull(streamKeepalive, "streamKeepalive");
      Objects.requireNonNull(address, "address");
      supportedRemoteCommandProtocols = List.copyOf(supportedRemoteCommandProtocols);
      supportedPortForwardProtocols = List.copyOf(supportedPortForwardProtocols);
    }

    /**
     * Upstream's {@code DefaultConfig} (4 h idle, 30 s stream creation, remote-command V5…V1, where
     * V5 over SPDY is exactly V4, and {@code portforward.k8s.io}) with upstream's token limits (one
     * minute, 1000 in flight), on a free port of loopback, as containerd's default streaming port.
     */
    public static Config defaults() {
      return new Config(
          "127.0.0.1",
          0,
          null,
          RemoteCommandServer.DEFAULT_IDLE_TIMEOUT,
          StreamWaiter.DEFAULT_TIMEOUT,
          List.of(
              StreamProtocol.V5.wireName(),
              StreamProtocol.V4.wireName(),
              StreamProtocol.V3.wireName(),
              StreamProtocol.V2.wireName(),
              StreamProtocol.V1.wireName()),
          List.of(PortForwardServer.PROTOCOL_V1),
          RequestCache.DEFAULT_TTL,
          RequestCache.DEFAULT_MAX_IN_FLIGHT,
          Duration.ZERO);
    }

    public Config withAddress(String address) {
      return new Config(
          address,
          port,
          baseUrl,
          streamIdleTimeout,
          streamCreationTimeout,
          supportedRemoteCommandProtocols,
          supportedPortForwardProtocols,
          tokenTtl,
          maxInFlight,
          streamKeepalive);
    }

    public Config withBaseUrl(String baseUrl) {
      return new Config(
          address,
          port,
          baseUrl,
          streamIdleTimeout,
          streamCreationTimeout,
          supportedRemoteCommandProtocols,
          supportedPortForwardProtocols,
          tokenTtl,
          maxInFlight,
          streamKeepalive);
    }

    public Config withSupportedRemoteCommandProtocols(
        List<String> supportedRemoteCommandProtocols) {
      return new Config(
          address,
          port,
          baseUrl,
          streamIdleTimeout,
          streamCreationTimeout,
          supportedRemoteCommandProtocols,
          supportedPortForwardProtocols,
          tokenTtl,
          maxInFlight,
          streamKeepalive);
    }

    /** The same config with the idle timeout and keepalive of a tier's {@link Liveness}. */
    public Config withLiveness(Liveness liveness) {
      return new Config(
          address,
          port,
          baseUrl,
          liveness.idleTimeout(),
          streamCreationTimeout,
          supportedRemoteCommandProtocols,
          supportedPortForwardProtocols,
          tokenTtl,
          maxInFlight,
          liveness.keepalive());
    }

    public Config withTokenTtl(Duration tokenTtl) {
      return new Config(
          address,
          port,
          baseUrl,
          streamIdleTimeout,
          streamCreationTimeout,
          supportedRemoteCommandProtocols,
          supportedPortForwardProtocols,
          tokenTtl,
          maxInFlight,
          streamKeepalive);
    }
  }

  private final Vertx vertx;
  private final Config config;
  private final Runtime runtime;
  private final RequestCache<Object> cache;
  private final RemoteCommandServer execServer;
  private final RemoteCommandServer attachServer;
  private final PortForwardServer portForwardServer;
  private final RuntimeSessions sessions = new RuntimeSessions();
  private final DebugSessions debugSessions = new DebugSessions(sessions::view);
  private TierMetrics metrics;
  private Counter rejectedTokens;
  private volatile HttpServer server;
  private volatile String listeningUrl;

  public StreamingServer(Vertx vertx, Config config, Runtime runtime) {
    this(vertx, config, runtime, Clock.systemUTC());
  }

  /** A server whose tokens expire by {@code clock} (tests move it). */
  public StreamingServer(Vertx vertx, Config config, Runtime runtime, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.runtime = runtime;
    this.cache = new RequestCache<>(clock, config.tokenTtl(), config.maxInFlight());
    this.execServer =
        RemoteCommandServer.exec(vertx)
            .protocols(config.supportedRemoteCommandProtocols())
            .timeouts(config.streamCreationTimeout(), config.streamIdleTimeout())
            .keepalive(config.streamKeepalive());
    this.attachServer =
        RemoteCommandServer.attach(vertx)
            .protocols(config.supportedRemoteCommandProtocols())
            .timeouts(config.streamCreationTimeout(), config.streamIdleTimeout())
            .keepalive(config.streamKeepalive());
    this.portForwardServer =
        new PortForwardServer(vertx)
            .protocols(config.supportedPortForwardProtocols())
            .timeouts(config.streamCreationTimeout(), config.streamIdleTimeout())
            .keepalive(config.streamKeepalive());
  }

  /**
   * What an {@code HttpServer} that mounts {@link #handle} needs: no h2c (see {@link PostUpgrades};
   * its connections need {@link PostUpgrades#install} too) and WebSocket limits fit for exec.
   */
  public static HttpServerOptions httpServerOptions() {
    return ChannelHandshake.configure(PostUpgrades.configure(new HttpServerOptions()));
  }

  /** Listens on the config's address and port. */
  public Future<Void> start() {
    HttpServer http = vertx.createHttpServer(httpServerOptions());
    PostUpgrades.install(http).requestHandler(this::handle);
    return http.listen(config.port(), config.address())
        .map(
            s -> {
              server = s;
              listeningUrl = url(config.address(), s.actualPort());
              LOG.info(
                  "streaming server listening on "
                      + listeningUrl
                      + (metrics == null ? "" : " (metrics on " + TierMetrics.PATH + ")"));
              return null;
            });
  }

  /** Stops listening; running sessions end with their connections. */
  public Future<Void> stop() {
    HttpServer s = server;
    return s == null ? Future.succeededFuture() : s.close();
  }

  /**
   * The start of the URLs handed out: the config's, else {@code http://<address>:<port>}, with the
   * actual port once listening.
   */
  public String baseUrl() {
    if (config.baseUrl() != null) {
      return config.baseUrl();
    }
    String listening = listeningUrl;
    return listening != null ? listening : url(config.address(), config.port());
  }

  /**
   * Validates and parks an exec; throws a gRPC {@link StatusException}: INVALID_ARGUMENT, or
   * RESOURCE_EXHAUSTED when too many requests are parked.
   */
  public ExecResponse getExec(ExecRequest request) {
    StreamRequests.validate(request);
    return ExecResponse.newBuilder().setUrl(park(Kind.EXEC, request)).build();
  }

  /** Validates and parks an attach, as {@link #getExec}. */
  public AttachResponse getAttach(AttachRequest request) {
    StreamRequests.validate(request);
    return AttachResponse.newBuilder().setUrl(park(Kind.ATTACH, request)).build();
  }

  /** Validates and parks a port-forward, as {@link #getExec}. */
  public PortForwardResponse getPortForward(PortForwardRequest request) {
    StreamRequests.validate(request);
    return PortForwardResponse.newBuilder().setUrl(park(Kind.PORT_FORWARD, request)).build();
  }

  /**
   * Serves {@code metrics} on {@code GET /metrics} and records in it: the tokens in flight and the
   * ones refused for too many ({@code kubehop_runtime_stream_tokens_in_flight}, {@code
   * kubehop_runtime_stream_tokens_rejected_total}), and the sessions running now and since start by
   * kind ({@code kubehop_streaming_sessions_active}, {@code kubehop_streaming_sessions_total}; the
   * names the proxying tiers use).
   */
  public StreamingServer withMetrics(TierMetrics metrics) {
    MeterRegistry meters = metrics.registry();
    Gauge.builder("kubehop.runtime.stream.tokens.in.flight", cache, RequestCache::inFlight)
        .description("Streaming requests handed out whose URL was not used yet")
        .register(meters);
    rejectedTokens =
        Counter.builder("kubehop.runtime.stream.tokens.rejected")
            .description("Streaming requests refused: too many in flight")
            .register(meters);
    for (String kind : List.of("exec", "attach", "portforward")) {
      Gauge.builder("kubehop.streaming.sessions.active", sessions, s -> s.active(kind))
          .description("Streaming sessions held now")
          .tag("kind", kind)
          .register(meters);
    }
    this.metrics = metrics;
    return this;
  }

  /** {@code websocket v4.channel.k8s.io} or {@code spdy/3.1 v4.channel.k8s.io}. */
  private static String wire(HttpServerRequest req, String protocol) {
    return (UpgradeRequests.isWebSocket(req.headers()) ? "websocket " : "spdy/3.1 ")
        + (protocol == null ? "" : protocol);
  }

  /** Counts a session of {@code kind} among those opened; the gauge reads the registry. */
  private void opened(String kind) {
    if (metrics == null) {
      return;
    }
    Counter.builder("kubehop.streaming.sessions")
        .description("Streaming sessions opened")
        .tag("kind", kind)
        .register(metrics.registry())
        .increment();
  }

  private String park(Kind kind, Object request) {
    try {
      return baseUrl() + "/" + kind.path + "/" + cache.insert(request);
    } catch (RequestCache.TooManyInFlightException e) {
      if (rejectedTokens != null) {
        rejectedTokens.increment();
      }
      throw new StatusException(GrpcStatus.RESOURCE_EXHAUSTED, e.getMessage());
    }
  }

  /**
   * Serves a request for one of the handed-out URLs. The token is consumed in the request's own
   * tick, so the request is still untouched when it is upgraded (a WebSocket handshake wants that).
   */
  public void handle(HttpServerRequest req) {
    if (metrics != null && req.path().equals(TierMetrics.PATH)) {
      metrics.handle(req);
      return;
    }
    if (req.path().equals(DebugSessions.PATH)) {
      debugSessions.handle(req);
      return;
    }
    String[] segments = req.path().split("/", -1);
    Kind kind = segments.length == 3 && segments[0].isEmpty() ? Kind.ofPath(segments[1]) : null;
    if (kind == null || segments[2].isEmpty()) {
      notFound(req);
      return;
    }
    String method = PostUpgrades.method(req);
    if (!method.equals("GET") && !method.equals("POST")) {
      req.response()
          .setStatusCode(405)
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("405: Method Not Allowed");
      return;
    }
    Optional<Object> parked = cache.consume(segments[2]);
    if (parked.isEmpty() || Kind.of(parked.get()) != kind) {
      notFound(req);
      return;
    }
    serve(req, parked.get());
  }

  private void serve(HttpServerRequest req, Object parked) {
    // A client that is not a kubehop tier (crictl, a test) sends no id: the session gets one here.
    String sessionId =
        Optional.ofNullable(req.getHeader(StreamHeaders.SESSION))
            .orElseGet(() -> String.format("rt-%016x", ThreadLocalRandom.current().nextLong()));
    if (parked instanceof PortForwardRequest forward) {
      servePortForward(req, forward, sessionId);
      return;
    }
    long started = System.nanoTime();
    String containerId;
    String what;
    StreamOptions options;
    RemoteCommandServer endpoint;
    Executor executor;
    if (parked instanceof ExecRequest exec) {
      containerId = exec.getContainerId();
      what = "exec " + exec.getCmdList();
      options = StreamRequests.options(exec);
      endpoint = execServer;
      executor = streams -> runtime.exec(containerId, exec.getCmdList(), streams);
    } else {
      AttachRequest attach = (AttachRequest) parked;
      containerId = attach.getContainerId();
      what = "attach";
      options = StreamRequests.options(attach);
      endpoint = attachServer;
      executor = streams -> runtime.attach(containerId, streams);
    }
    // One line per session: when the executor ran, at its end; otherwise (refused before streams
    // existed) when
    // the server is done with the request.
    AtomicBoolean executed = new AtomicBoolean();
    Executor logged =
        streams -> {
          executed.set(true);
          RuntimeSessions.Session inspected =
              sessions.open(
                  sessionId,
                  parked instanceof ExecRequest ? "exec" : "attach",
                  containerId,
                  parked instanceof ExecRequest e ? e.getCmdList() : List.of(),
                  options.tty(),
                  wire(req, streams.protocol().wireName()),
                  req.connection().localAddress(),
                  req.connection().remoteAddress(),
                  SocketMeter.on(req.connection()));
          inspected.streams(streams);
          Future<Integer> run = call(() -> executor.execute(streams));
          opened(parked instanceof ExecRequest ? "exec" : "attach");
          run.onComplete(
              ar ->
                  sessions.ended(
                      inspected,
                      ar.succeeded()
                          ? new EndView("process", "exited", ar.result(), null)
                          : new EndView(null, "closed", null, null)));
          return run.onComplete(
              ar ->
                  log(
                      sessionId,
                      what,
                      containerId,
                      options,
                      started,
                      ar.succeeded()
                          ? "exit " + ar.result()
                          : "ended: " + ar.cause().getMessage()));
        };
    endpoint
        .serve(req, options, logged)
        .onComplete(
            ar -> {
              if (!executed.get()) {
                log(
                    sessionId,
                    what,
                    containerId,
                    options,
                    started,
                    ar.succeeded()
                        ? "refused (HTTP " + req.response().getStatusCode() + ")"
                        : "failed: " + ar.cause().getMessage());
              }
            });
  }

  /**
   * A port-forward into the sandbox's network, one runtime dial per forwarded connection. The ports
   * of a WebSocket port-forward are the parked request's, as the kubelet's CRI server takes them,
   * unless the URL names them.
   */
  private void servePortForward(
      HttpServerRequest req, PortForwardRequest forward, String sessionId) {
    long started = System.nanoTime();
    String sandboxId = forward.getPodSandboxId();
    Optional<PortForwardTarget> target = runtime.portForward(sandboxId);
    if (target.isEmpty()) {
      notFound(req);
      return;
    }
    if (req.params().getAll("port").isEmpty()) {
      forward.getPortList().forEach(p -> req.params().add("port", String.valueOf(p)));
    }
    RuntimeSessions.Session inspected =
        sessions.open(
            sessionId,
            "portforward",
            null,
            List.of(),
            false,
            UpgradeRequests.isWebSocket(req.headers())
                ? wire(req, req.getHeader("Sec-WebSocket-Protocol"))
                : "spdy/3.1 portforward.k8s.io",
            req.connection().localAddress(),
            req.connection().remoteAddress(),
            SocketMeter.on(req.connection()));
    PortDialer dialer = target.get().dialer();
    Future<?> forwarding =
        portForwardServer.serve(
            req, sandboxId, "", port -> dialer.dial(port).onSuccess(inspected::dialled));
    forwarding.onComplete(ar -> sessions.ended(inspected, new EndView(null, "closed", null, null)));
    opened("portforward");
    forwarding.onComplete(
        ar ->
            LOG.info(
                "session "
                    + sessionId
                    + " portforward to sandbox "
                    + shortId(sandboxId)
                    + " ("
                    + target.get().address()
                    + "): "
                    + (ar.succeeded() ? "ended" : "failed: " + ar.cause().getMessage())
                    + " after "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis()
                    + "ms"));
  }

  private static void log(
      String sessionId,
      String what,
      String containerId,
      StreamOptions options,
      long started,
      String outcome) {
    LOG.info(
        "session "
            + sessionId
            + " "
            + what
            + " in container "
            + shortId(containerId)
            + " "
            + flags(options)
            + ": "
            + outcome
            + " after "
            + Duration.ofNanos(System.nanoTime() - started).toMillis()
            + "ms");
  }

  /** The runtime's future, or its exception as a failed one. */
  private static <T> Future<T> call(Supplier<Future<T>> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** The first 13 characters, as crictl prints ids. */
  private static String shortId(String id) {
    return id.length() > 13 ? id.substring(0, 13) : id;
  }

  private static String url(String host, int port) {
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** {@code stdin,stdout,tty} style. */
  private static String flags(StreamOptions options) {
    List<String> on = new ArrayList<>();
    if (options.stdin()) {
      on.add("stdin");
    }
    if (options.stdout()) {
      on.add("stdout");
    }
    if (options.stderr()) {
      on.add("stderr");
    }
    if (options.tty()) {
      on.add("tty");
    }
    return String.join(",", on);
  }

  private static void notFound(HttpServerRequest req) {
    req.response()
        .setStatusCode(404)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("X-Content-Type-Options", "nosniff")
        .end(NOT_FOUND);
  }

  /** The kinds of parked request, by URL path segment. */
  private enum Kind {
    EXEC("exec"),
    ATTACH("attach"),
    PORT_FORWARD("portforward");

    final String path;

    Kind(String path) {
      this.path = path;
    }

    static Kind of(Object request) {
      if (request instanceof ExecRequest) {
        return EXEC;
      }
      if (request instanceof AttachRequest) {
        return ATTACH;
      }
      if (request instanceof PortForwardRequest) {
        return PORT_FORWARD;
      }
      throw new IllegalArgumentException(
          "not a streaming request: " + request.getClass().getSimpleName());
    }

    static Kind ofPath(String segment) {
      for (Kind kind : values()) {
        if (kind.path.equals(segment)) {
          return kind;
        }
      }
      return null;
    }
  }
}
