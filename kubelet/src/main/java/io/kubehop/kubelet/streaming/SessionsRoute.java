package io.kubehop.kubelet.streaming;

import io.kubehop.kubelet.server.KubeletRoute;
import io.kubehop.streaming.fault.DebugFaults;
import io.kubehop.streaming.inspect.DebugFrames;
import io.kubehop.streaming.inspect.DebugSessions;
import io.kubehop.streaming.proxy.HopRegistry;
import io.kubehop.streaming.proxy.HopViews;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * {@code /debug/sessions}: the kubelet's own sessions; {@code /debug/sessions/runtime}: its
 * runtime's, fetched from the runtime's streaming server (which listens on loopback, where only the
 * node reaches it), so that one who can reach the kubelet sees the whole node; {@code
 * /debug/frames}: the frames it traced ({@code --trace-frames}); {@code /debug/faults}: the faults
 * it injects on the kubelet-runtime hop ({@code kubehop fault}).
 */
public final class SessionsRoute implements KubeletRoute {

  private final DebugSessions own;
  private final DebugFrames frames;
  private final StreamingRuntime runtime;
  private final HttpClientAgent client;
  private final DebugFaults faults;

  public SessionsRoute(
      HopRegistry hops, StreamingRuntime runtime, HttpClientAgent client, DebugFaults faults) {
    this.own = new DebugSessions(() -> HopViews.view(hops, "kubelet", "apiserver"));
    this.frames = new DebugFrames(hops::frameTracer);
    this.runtime = runtime;
    this.client = client;
    this.faults = faults;
  }

  @Override
  public void handle(HttpServerRequest req, List<String> segments) {
    if (segments.equals(List.of("sessions"))) {
      own.handle(req);
    } else if (segments.equals(List.of("sessions", "runtime"))) {
      relayRuntime(req);
    } else if (segments.equals(List.of("frames"))) {
      frames.handle(req);
    } else if (segments.equals(List.of("faults"))) {
      faults.handle(req);
    } else {
      text(req, 404, "404 page not found\n");
    }
  }

  private void relayRuntime(HttpServerRequest req) {
    if (req.method() != HttpMethod.GET) {
      text(req, 405, "method not allowed\n");
      return;
    }
    Optional<URI> server = runtime.streamingServer();
    if (server.isEmpty()) {
      text(req, 503, "the runtime has handed out no streaming URL yet\n");
      return;
    }
    String query = req.query() == null ? "" : "?" + req.query();
    client
        .request(
            new RequestOptions()
                .setAbsoluteURI(server.get() + DebugSessions.PATH + query)
                .setMethod(HttpMethod.GET))
        .compose(HttpClientRequest::send)
        .compose(
            resp ->
                resp.body()
                    .map(
                        body ->
                            req.response()
                                .setStatusCode(resp.statusCode())
                                .putHeader(
                                    "Content-Type",
                                    Optional.ofNullable(resp.getHeader("Content-Type"))
                                        .orElse("text/plain"))
                                .end(body)))
        .onFailure(e -> text(req, 502, "the runtime's streaming server: " + e.getMessage() + "\n"));
  }

  private static void text(HttpServerRequest req, int code, String body) {
    req.response()
        .setStatusCode(code)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .end(body);
  }
}
