package io.kubehop.apiserver.http;

import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.StatusException;
import io.kubehop.apiserver.auth.RequestGate;
import io.kubehop.apiserver.auth.UserInfo;
import io.kubehop.apiserver.discovery.Discovery;
import io.kubehop.apiserver.leaderelection.ApiServerDirectory;
import io.kubehop.apiserver.openapi.OpenApiV2;
import io.kubehop.apiserver.openapi.OpenApiV3;
import io.kubehop.apiserver.registry.ResourceStrategy;
import io.kubehop.apiserver.registry.ResourceType;
import io.kubehop.apiserver.subresource.SubresourceHandler;
import io.kubehop.apiserver.subresource.SubresourceRegistry;
import io.kubehop.apiserver.ui.WebView;
import io.kubehop.apiserver.watch.WatchHandler;
import io.kubehop.streaming.fault.DebugFaults;
import io.kubehop.streaming.inspect.DebugFrames;
import io.kubehop.streaming.inspect.DebugSessions;
import io.kubehop.streaming.metrics.TierMetrics;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The apiserver's request dispatch: health, discovery and OpenAPI paths, then core/v1 resources by
 * method, with {@code status} handled generically and every other subresource delegated to the
 * {@link SubresourceRegistry}; and the streaming sessions' debug endpoint ({@link DebugSessions}).
 * Every failure is answered with a Status.
 */
public final class ApiRouter implements Handler<HttpServerRequest> {

  private final Map<ResourceType, ResourceStrategy> strategies;
  private final SubresourceRegistry subresources;
  private final ResourceReads reads;
  private final ResourceWrites writes;
  private final WatchHandler watches;
  private final OpenApiV3 openApi = new OpenApiV3();
  private final OpenApiV2 openApiV2 = new OpenApiV2();
  private WebView webView;
  private TierMetrics metrics;
  private DebugSessions debugSessions;
  private DebugFrames debugFrames;
  private DebugFaults debugFaults;
  private ApiServerDirectory apiservers;
  private RequestGate gate = RequestGate.open();

  public ApiRouter(
      Map<ResourceType, ResourceStrategy> strategies,
      SubresourceRegistry subresources,
      ResourceReads reads,
      ResourceWrites writes,
      WatchHandler watches) {
    this.strategies = strategies;
    this.subresources = subresources;
    this.reads = reads;
    this.writes = writes;
    this.watches = watches;
  }

  /**
   * Authenticates, authorizes and audits every request with {@code gate} before routing it;
   * without, every request is routed ({@link RequestGate#open()}).
   */
  public ApiRouter withGate(RequestGate gate) {
    this.gate = gate;
    return this;
  }

  /** Serves {@code frames} on {@code GET /debug/frames}; without, that path is not found. */
  public ApiRouter withDebugFrames(DebugFrames frames) {
    this.debugFrames = frames;
    return this;
  }

  /**
   * Serves {@code faults} on {@code /debug/faults} (GET, POST, DELETE); without, that path is not
   * found.
   */
  public ApiRouter withDebugFaults(DebugFaults faults) {
    this.debugFaults = faults;
    return this;
  }

  /** Serves {@code sessions} on {@code GET /debug/sessions}; without, that path is not found. */
  public ApiRouter withDebugSessions(DebugSessions sessions) {
    this.debugSessions = sessions;
    return this;
  }

  /**
   * Serves {@code apiservers} on {@code GET /debug/apiservers}; without, that path is not found.
   */
  public ApiRouter withApiServerDirectory(ApiServerDirectory apiservers) {
    this.apiservers = apiservers;
    return this;
  }

  /** Serves the web view under {@code /ui}; without, those paths are not found. */
  public ApiRouter withWebView(WebView webView) {
    this.webView = webView;
    return this;
  }

  /** Serves {@code metrics} on {@code GET /metrics}; without, that path is not found. */
  public ApiRouter withMetrics(TierMetrics metrics) {
    this.metrics = metrics;
    return this;
  }

  @Override
  public void handle(HttpServerRequest req) {
    HttpLog.logWhenAnswered(req);
    try {
      // before any route: a refused upgrade gets a plain 401/403, a refused write's body is unread
      UserInfo user = gate.admit(req);
      if (user != null) {
        route(req, user);
      }
    } catch (RuntimeException e) {
      Responses.failure(req.response(), e);
    }
  }

  private void route(HttpServerRequest req, UserInfo user) {
    String path = req.path();
    if (webView != null && WebView.owns(path)) {
      webView.handle(req);
      return;
    }
    switch (path) {
      case "/healthz", "/readyz", "/livez" -> {
        onlyGet(req);
        req.response().putHeader("Content-Type", "text/plain; charset=utf-8").end("ok");
      }
      case "/version", "/version/" -> get(req, () -> Discovery.version(req));
      case "/api", "/api/" -> get(req, () -> Discovery.api(req));
      case "/apis", "/apis/" -> get(req, () -> Discovery.apis(req));
      case "/api/v1", "/api/v1/" -> get(req, () -> Discovery.coreV1(req));
      case "/apis/events.k8s.io", "/apis/events.k8s.io/" ->
          get(req, () -> Discovery.eventsGroup(req));
      case "/apis/events.k8s.io/v1", "/apis/events.k8s.io/v1/" ->
          get(req, () -> Discovery.eventsV1(req));
      case "/openapi/v3", "/openapi/v3/" -> get(req, () -> openApi.root(req));
      case "/openapi/v3/api/v1" -> get(req, () -> openApi.coreV1(req));
      case "/openapi/v2" -> get(req, () -> openApiV2.serve(req));
      case DebugSessions.PATH -> {
        if (debugSessions == null) {
          throw StatusException.notFoundPath();
        }
        onlyGet(req);
        String id;
        try {
          id = req.getParam("id");
        } catch (IllegalArgumentException e) {
          throw StatusException.badRequest("malformed query: " + e.getMessage());
        }
        Object found =
            debugSessions.lookup(id).orElseThrow(() -> StatusException.notFound("sessions", id));
        Responses.json(req.response(), 200, ApiJson.toTree(found));
      }
      case ApiServerDirectory.PATH -> {
        if (apiservers == null) {
          throw StatusException.notFoundPath();
        }
        onlyGet(req);
        apiservers
            .view()
            .onComplete(
                ar -> {
                  if (ar.succeeded()) {
                    Responses.json(req.response(), 200, ar.result());
                  } else {
                    Responses.failure(req.response(), ar.cause());
                  }
                });
      }
      case DebugFrames.PATH -> {
        if (debugFrames == null) {
          throw StatusException.notFoundPath();
        }
        onlyGet(req);
        String session;
        long after;
        try {
          session = req.getParam("session");
          after = DebugFrames.after(req.getParam("after"));
        } catch (IllegalArgumentException e) {
          throw StatusException.badRequest("malformed query: " + e.getMessage());
        }
        if (session == null || session.isEmpty()) {
          throw StatusException.badRequest(
              "session is required: " + DebugFrames.PATH + "?session=ID");
        }
        JsonObject found =
            debugFrames
                .lookup(session, after)
                .orElseThrow(() -> StatusException.notFound("frames", session));
        req.response().putHeader("Content-Type", "application/json").end(found.encode());
      }
      case DebugFaults.PATH -> {
        if (debugFaults == null) {
          throw StatusException.notFoundPath();
        }
        debugFaults.handle(req);
      }
      case TierMetrics.PATH -> {
        if (metrics == null) {
          throw StatusException.notFoundPath();
        }
        metrics.handle(req);
      }
      default -> {
        if (path.startsWith(EVENTS_V1)) {
          dispatch(eventsV1(req, path).by(user.name()));
          return;
        }
        ApiRequest api = ApiRequest.parse(req, path);
        if (api == null) {
          throw StatusException.notFoundPath();
        }
        dispatch(api.by(user.name()));
      }
    }
  }

  private static final String EVENTS_V1 = "/apis/events.k8s.io/v1/";

  /**
   * An {@code events.k8s.io/v1} request: the path of the core/v1 events it reads, with the
   * converting resource; only GET (get, list, watch) is served.
   */
  private static ApiRequest eventsV1(HttpServerRequest req, String path) {
    ApiRequest core = ApiRequest.parse(req, "/api/v1/" + path.substring(EVENTS_V1.length()));
    if (core == null || core.type() != ResourceType.EVENTS || core.subresource() != null) {
      throw StatusException.notFoundPath();
    }
    if (req.method() != HttpMethod.GET) {
      throw StatusException.methodNotAllowed();
    }
    return new ApiRequest(req, ResourceType.EVENTS_V1, core.namespace(), core.name(), null);
  }

  private void dispatch(ApiRequest req) {
    ResourceStrategy strategy = strategies.get(req.type());
    HttpMethod method = req.http().method();
    if (req.subresource() != null) {
      if (req.subresource().equals("status")
          && req.type().subresources().stream().anyMatch(s -> s.name().equals("status"))) {
        if (method == HttpMethod.GET) {
          reads.get(req, strategy);
        } else if (method == HttpMethod.PUT) {
          withBody(req, body -> writes.update(req, strategy, body));
        } else if (method == HttpMethod.PATCH) {
          withBody(req, body -> writes.patch(req, strategy, body));
        } else {
          throw StatusException.methodNotAllowed();
        }
        return;
      }
      SubresourceHandler handler = subresources.lookup(req.type().resource(), req.subresource());
      if (handler == null) {
        throw StatusException.notFoundPath();
      }
      handler.handle(req);
      return;
    }
    if (req.name() == null) {
      if (method == HttpMethod.GET) {
        if (req.flag("watch")) {
          watches.watch(req, strategy);
        } else {
          reads.list(req, strategy);
        }
      } else if (method == HttpMethod.POST) {
        withBody(req, body -> writes.create(req, strategy, body));
      } else if (method == HttpMethod.DELETE && req.type().verbs().contains("deletecollection")) {
        withBody(req, body -> writes.deleteCollection(req, strategy, body));
      } else {
        throw StatusException.methodNotAllowed();
      }
      return;
    }
    if (method == HttpMethod.GET && req.flag("watch")) {
      watches.watch(req, strategy);
    } else if (method == HttpMethod.GET) {
      reads.get(req, strategy);
    } else if (method == HttpMethod.PUT) {
      withBody(req, body -> writes.update(req, strategy, body));
    } else if (method == HttpMethod.PATCH) {
      withBody(req, body -> writes.patch(req, strategy, body));
    } else if (method == HttpMethod.DELETE) {
      withBody(req, body -> writes.delete(req, strategy, body));
    } else {
      throw StatusException.methodNotAllowed();
    }
  }

  private static void withBody(ApiRequest req, Consumer<Buffer> then) {
    Bodies.read(req.http())
        .onComplete(
            ar -> {
              if (ar.failed()) {
                Responses.failure(req.http().response(), ar.cause());
                return;
              }
              try {
                then.accept(ar.result());
              } catch (RuntimeException e) {
                Responses.failure(req.http().response(), e);
              }
            });
  }

  private static void get(HttpServerRequest req, Runnable then) {
    onlyGet(req);
    then.run();
  }

  private static void onlyGet(HttpServerRequest req) {
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      throw StatusException.methodNotAllowed();
    }
  }
}
