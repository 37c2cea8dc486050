package io.kubehop.runtime.streaming;

import com.google.protobuf.Message;
import io.kubehop.cri.v1.AttachRequest;
import io.kubehop.cri.v1.ExecRequest;
import io.kubehop.cri.v1.PodSandboxState;
import io.kubehop.cri.v1.PortForwardRequest;
import io.kubehop.runtime.container.Container;
import io.kubehop.runtime.container.ContainerManager;
import io.kubehop.runtime.cri.CriErrors;
import io.kubehop.runtime.cri.Ids;
import io.kubehop.runtime.pod.PodSandbox;
import io.kubehop.runtime.pod.PodSandboxManager;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.portforward.PodGoneException;
import io.kubehop.streaming.portforward.PortDialer;
import io.kubehop.streaming.portforward.PortForwardServer;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.StreamProtocol;
import io.kubehop.streaming.remotecommand.server.Executor;
import io.kubehop.streaming.remotecommand.server.RemoteCommandServer;
import io.kubehop.streaming.transport.PostUpgrades;
import io.kubehop.streaming.websocket.ChannelHandshake;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The CRI streaming server (upstream's {@code k8s.io/kubelet/pkg/cri/streaming} server): {@code Exec} and
 * {@code Attach} park their request under a one-time token ({@link #issue}) and hand the kubelet a URL,
 * {@code http://<address>:<port>/exec/<token>} or {@code /attach/<token>}; the first GET or POST of that URL consumes
 * the token and runs the session with the options of the parked request (never the query's). An unknown, used,
 * expired or wrong-kind token is a plain {@code 404 page not found}. Each session is logged in one line with the
 * {@value StreamHeaders#SESSION} the hops forward.
 *
 * <p>The token cache is confined to one event loop, that of the context this server was created with; the HTTP
 * server listens from it too, so requests use the cache in their own tick and only CRI calls hop over.
 */
public final class StreamingServer {

  private static final Logger LOG = Logger.getLogger(StreamingServer.class.getName());
  /** Remote-command protocols offered over SPDY: V5 as well, which over SPDY is exactly V4. */
  static final List<String> PROTOCOLS = List.of(StreamProtocol.V5.wireName(), StreamProtocol.V4.wireName(),
      StreamProtocol.V3.wireName(), StreamProtocol.V2.wireName(), StreamProtocol.V1.wireName());
  private static final String NOT_FOUND = "404 page not found\n";

  private final Vertx vertx;
  private final Context cacheContext;
  /** The thread of {@link #cacheContext} (an event loop: always the same one), once it ran something. */
  private volatile Thread cacheThread;
  private final ContainerManager containers;
  private final RequestCache<Message> cache;
  private final RemoteCommandServer execServer;
  private final RemoteCommandServer attachServer;
  private final PodSandboxManager sandboxes;
  private final PortForwardServer portForwardServer;
  /** Dials pods for port-forward: a connection per forwarded connection, never pooled. */
  private final NetClient dialClient;
  private final AtomicLong sessions = new AtomicLong();
  private HttpServer server;
  private String baseUrl;

  /** A server with upstream's token limits: one minute, 1000 in flight; no port-forward. */
  public StreamingServer(Vertx vertx, ContainerManager containers) {
    this(vertx, containers, null, Clock.systemUTC(), RequestCache.DEFAULT_TTL, RequestCache.DEFAULT_MAX_IN_FLIGHT);
  }

  /**
   * A server whose tokens follow {@code clock} (tests move it) and the given limits; port-forwards dial the
   * sandboxes of {@code sandboxes} (null: none).
   */
  public StreamingServer(Vertx vertx, ContainerManager containers, PodSandboxManager sandboxes, Clock clock,
      Duration ttl, int maxInFlight) {
    this.vertx = vertx;
    this.sandboxes = sandboxes;
    this.portForwardServer = new PortForwardServer(vertx);
    this.dialClient = vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000));
    this.cacheContext = vertx.getOrCreateContext();
    this.containers = containers;
    this.cache = new RequestCache<>(clock, ttl, maxInFlight);
    this.execServer = RemoteCommandServer.exec(vertx).protocols(PROTOCOLS);
    this.attachServer = RemoteCommandServer.attach(vertx).protocols(PROTOCOLS);
  }

  /** Listens on {@code host} at a random port (containerd's default). */
  public Future<Void> listen(String host) {
    HttpServer http = vertx.createHttpServer(
        ChannelHandshake.configure(PostUpgrades.configure(new HttpServerOptions())));
    PostUpgrades.install(http).requestHandler(this::handle);
    // listening from the cache's context puts the connections on its event loop: a request then consumes its
    // token in the same tick, and is still untouched when it is upgraded (a WebSocket handshake wants that)
    return onCacheContext(() -> http.listen(0, host)).compose(listening -> listening).map(s -> {
      server = s;
      baseUrl = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + s.actualPort();
      return null;
    });
  }

  /** {@code http://<address>:<port>}, once listening. */
  public String baseUrl() {
    return baseUrl;
  }

  /**
   * Parks a validated {@link ExecRequest}, {@link AttachRequest} or {@link PortForwardRequest} and returns its URL
   * ({@code /exec/}, {@code /attach/}, {@code /portforward/<token>}); fails with
   * RESOURCE_EXHAUSTED when too many tokens are in flight.
   */
  public Future<String> issue(Message request) {
    String kind = Kind.of(request).path;
    return onCacheContext(() -> {
      try {
        return baseUrl + "/" + kind + "/" + cache.insert(request);
      } catch (RequestCache.TooManyInFlightException e) {
        throw CriErrors.exhausted(e.getMessage());
      }
    });
  }

  /** Stops listening; running sessions end with their connections. */
  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest req) {
    String[] segments = req.path().split("/", -1);
    Kind kind = segments.length == 3 && segments[0].isEmpty() ? Kind.ofPath(segments[1]) : null;
    if (kind == null || segments[2].isEmpty()) {
      notFound(req);
      return;
    }
    String method = PostUpgrades.method(req);
    if (!method.equals("GET") && !method.equals("POST")) {
      req.response().setStatusCode(405).putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("405: Method Not Allowed");
      return;
    }
    onCacheContext(() -> cache.consume(segments[2])).onComplete(ar -> {
      Optional<Message> parked = ar.succeeded() ? ar.result() : Optional.empty();
      if (parked.isEmpty() || Kind.of(parked.get()) != kind) {
        notFound(req);
        return;
      }
      serve(req, parked.get());
    });
  }

  private void serve(HttpServerRequest req, Message parked) {
    String sessionId = Optional.ofNullable(req.getHeader(StreamHeaders.SESSION)).orElse("-");
    if (parked instanceof PortForwardRequest forward) {
      servePortForward(req, forward, sessionId);
      return;
    }
    String name = (parked instanceof ExecRequest ? "exec-" : "attach-") + sessions.incrementAndGet();
    long started = System.nanoTime();
    String containerId;
    String what;
    StreamOptions options;
    Executor executor;
    if (parked instanceof ExecRequest exec) {
      containerId = exec.getContainerId();
      what = "exec " + exec.getCmdList();
      options = StreamRequests.options(exec);
      executor = streams -> new ExecSession(vertx, container(containerId), exec, name).execute(streams);
    } else {
      AttachRequest attach = (AttachRequest) parked;
      containerId = attach.getContainerId();
      what = "attach";
      options = StreamRequests.options(attach);
      executor = streams -> new AttachSession(vertx, container(containerId), name).execute(streams);
    }
    // One line per session: when the executor ran, at its end; otherwise (refused before streams existed) when
    // the server is done with the request.
    AtomicBoolean executed = new AtomicBoolean();
    Executor logged = streams -> {
      executed.set(true);
      return executor.execute(streams).onComplete(ar -> log(sessionId, what, containerId, options, started,
          ar.succeeded() ? "exit " + ar.result() : "ended: " + ar.cause().getMessage()));
    };
    remoteCommandServer(parked).serve(req, options, logged).onComplete(ar -> {
      if (!executed.get()) {
        log(sessionId, what, containerId, options, started,
            ar.succeeded() ? "refused (HTTP " + req.response().getStatusCode() + ")" : "failed: " + ar.cause().getMessage());
      }
    });
  }

  /**
   * A port-forward into the pod's network identity: every connection dials the sandbox's IP (its own loopback
   * address here) at the requested port. The ports of a WebSocket port-forward are the parked request's, as the
   * kubelet's CRI server takes them, unless the URL names them.
   */
  private void servePortForward(HttpServerRequest req, PortForwardRequest forward, String sessionId) {
    long started = System.nanoTime();
    String sandboxId = forward.getPodSandboxId();
    Optional<PodSandbox> sandbox = sandboxes == null ? Optional.empty() : sandboxes.find(sandboxId);
    if (sandbox.isEmpty()) {
      notFound(req);
      return;
    }
    if (req.params().getAll("port").isEmpty()) {
      forward.getPortList().forEach(p -> req.params().add("port", String.valueOf(p)));
    }
    String ip = sandbox.get().ip();
    PortDialer dialer = port -> {
      Optional<PodSandbox> now = sandboxes.find(sandboxId);
      if (now.isEmpty() || now.get().state() != PodSandboxState.SANDBOX_READY) {
        return Future.failedFuture(new PodGoneException("pod sandbox " + sandboxId + " is gone"));
      }
      return dialClient.connect(port, ip);
    };
    portForwardServer.serve(req, sandboxId, "", dialer).onComplete(ar -> LOG.info("session " + sessionId
        + " portforward to sandbox " + Ids.shortId(sandboxId) + " (" + ip + "): "
        + (ar.succeeded() ? "ended" : "failed: " + ar.cause().getMessage()) + " after "
        + Duration.ofNanos(System.nanoTime() - started).toMillis() + "ms"));
  }

  private static void log(String sessionId, String what, String containerId, StreamOptions options, long started,
      String outcome) {
    LOG.info("session " + sessionId + " " + what + " in container " + Ids.shortId(containerId) + " "
        + flags(options) + ": " + outcome + " after " + Duration.ofNanos(System.nanoTime() - started).toMillis() + "ms");
  }

  /**
   * The server for the request's kind. The streaming module's server picks the transport by the request's
   * {@code Upgrade} header (SPDY here; WebSocket where that module offers it), so a WebSocket handler joins there,
   * beside SPDY, without changing this routing.
   */
  private RemoteCommandServer remoteCommandServer(Message parked) {
    return parked instanceof ExecRequest ? execServer : attachServer;
  }

  private Container container(String id) {
    return containers.get(id); // NOT_FOUND (removed since the token was issued) fails the session in-band
  }

  /** Runs on the cache's event loop: at once when already there, else as a task on it. */
  private <T> Future<T> onCacheContext(Supplier<T> action) {
    if (Thread.currentThread() == cacheThread) {
      return call(action);
    }
    Promise<T> result = Promise.promise();
    cacheContext.runOnContext(v -> {
      cacheThread = Thread.currentThread();
      call(action).onComplete(result);
    });
    return result.future();
  }

  private static <T> Future<T> call(Supplier<T> action) {
    try {
      return Future.succeededFuture(action.get());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** {@code stdin,stdout,tty} style. */
  private static String flags(StreamOptions options) {
    List<String> on = new java.util.ArrayList<>();
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
    req.response().setStatusCode(404)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("X-Content-Type-Options", "nosniff")
        .end(NOT_FOUND);
  }

  /** The kinds of parked request, by URL path segment. */
  private enum Kind {
    EXEC("exec"), ATTACH("attach"), PORT_FORWARD("portforward");

    final String path;

    Kind(String path) {
      this.path = path;
    }

    static Kind of(Message request) {
      if (request instanceof ExecRequest) {
        return EXEC;
      }
      if (request instanceof AttachRequest) {
        return ATTACH;
      }
      if (request instanceof PortForwardRequest) {
        return PORT_FORWARD;
      }
      throw new IllegalArgumentException("not a streaming request: " + request.getClass().getSimpleName());
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
