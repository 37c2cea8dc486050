package io.kubehop.streaming.remotecommand.server;

import io.kubehop.streaming.proxy.ErrorResponder;
import io.kubehop.streaming.proxy.HopRegistry;
import io.kubehop.streaming.proxy.HopSession;
import io.kubehop.streaming.proxy.StreamTranslator;
import io.kubehop.streaming.proxy.TranslatingHandler;
import io.kubehop.streaming.proxy.UpgradeAwareProxy;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.transport.PostUpgrades;
import io.kubehop.streaming.websocket.ChannelHandshake;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The smallest apiserver kubectl exec needs (docs/wire-captures.md §4.3): legacy discovery, one
 * Running pod, and its exec subresource served by {@link RemoteCommandServer} with a {@link
 * ProcessExecutor}. By default WebSocket attempts get a 400 Status, which makes kubectl 1.30+ fall
 * back to SPDY. With {@link #translating()} the exec subresource goes through a {@link
 * TranslatingHandler} toward an in-test SPDY-only "kubelet" instead, as the real apiserver does
 * since 1.30; every exec upgrade the apiserver receives is recorded in {@link #execUpgrades()}.
 */
final class FakeApiServer {

  private static final String POD_PATH = "/api/v1/namespaces/default/pods/demo";
  private static final String RESOURCES =
      "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
          + "{\"name\":\"pods\",\"singularName\":\"pod\",\"namespaced\":true,\"kind\":\"Pod\",\"verbs\":[\"get\",\"list\"],"
          + "\"shortNames\":[\"po\"],\"categories\":[\"all\"]},"
          + "{\"name\":\"pods/exec\",\"singularName\":\"\",\"namespaced\":true,\"kind\":\"PodExecOptions\","
          + "\"verbs\":[\"create\",\"get\"]}]}";
  private static final String POD =
      "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"demo\","
          + "\"namespace\":\"default\"},\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"busybox\"}]},"
          + "\"status\":{\"phase\":\"Running\"}}";

  private final Vertx vertx;
  private final List<String> execUpgrades = new CopyOnWriteArrayList<>();
  private final HopRegistry hops = new HopRegistry();
  private final List<String> sessions = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private TranslatingHandler translator;
  private int kubeletPort;

  FakeApiServer(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Routes exec through a StreamTranslator (WebSocket v5) or the UpgradeAwareProxy to a SPDY-only
   * kubelet.
   */
  FakeApiServer translating() {
    translator =
        new TranslatingHandler(
            new StreamTranslator(vertx, hops),
            new UpgradeAwareProxy(
                vertx, ErrorResponder.status(), UpgradeAwareProxy.RedirectPolicy.NEVER, hops));
    return this;
  }

  /**
   * {@code websocket <offered subprotocols>} or {@code SPDY/3.1}, one per exec upgrade, in arrival
   * order.
   */
  List<String> execUpgrades() {
    return execUpgrades;
  }

  Future<Integer> start() {
    Future<Void> kubelet = translator == null ? Future.succeededFuture() : startKubelet();
    return kubelet.compose(
        v -> {
          server =
              vertx.createHttpServer(
                  ChannelHandshake.configure(
                      PostUpgrades.configure(new HttpServerOptions().setHost("127.0.0.1"))));
          PostUpgrades.install(server);
          server.requestHandler(this::handle);
          return server.listen(0).map(HttpServer::actualPort);
        });
  }

  /** A kubelet that only speaks SPDY: {@code /exec?command=…&output=1…}. */
  private Future<Void> startKubelet() {
    HttpServer kubelet =
        vertx.createHttpServer(
            PostUpgrades.configure(new HttpServerOptions().setHost("127.0.0.1")));
    PostUpgrades.install(kubelet);
    kubelet.requestHandler(
        req -> {
          if ("websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
            req.response().setStatusCode(400).end("spdy only\n");
            return;
          }
          RemoteCommandServer.exec(vertx)
              .serve(
                  req,
                  StreamOptions.fromKubeletQuery(req.params()),
                  new ProcessExecutor(vertx, req.params().getAll("command")));
        });
    return kubelet
        .listen(0)
        .map(
            s -> {
              kubeletPort = s.actualPort();
              return null;
            });
  }

  private void handle(HttpServerRequest req) {
    String path = req.path();
    switch (path) {
      case "/api" ->
          json(
              req,
              "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":"
                  + "[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1:"
                  + server.actualPort()
                  + "\"}]}");
      case "/apis" -> json(req, "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}");
      case "/api/v1" -> json(req, RESOURCES);
      case POD_PATH -> json(req, POD);
      case POD_PATH + "/exec" -> exec(req);
      default ->
          req.response()
              .setStatusCode(404)
              .putHeader("Content-Type", "application/json")
              .end(
                  "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                      + "\"message\":\"the server could not find the requested resource\",\"reason\":\"NotFound\",\"code\":404}");
    }
  }

  private void exec(HttpServerRequest req) {
    boolean webSocket = "websocket".equalsIgnoreCase(req.getHeader("Upgrade"));
    execUpgrades.add(
        webSocket
            ? "websocket " + ChannelHandshake.offers(req.headers())
            : req.getHeader("Upgrade"));
    if (translator != null) {
      StreamOptions options = StreamOptions.fromApiServerQuery(req.params());
      StringBuilder uri =
          new StringBuilder(
              "http://127.0.0.1:" + kubeletPort + "/exec?" + options.toKubeletQuery());
      req.params()
          .getAll("command")
          .forEach(
              c -> uri.append("&command=").append(URLEncoder.encode(c, StandardCharsets.UTF_8)));
      translator.handle(req, URI.create(uri.toString()), options).onSuccess(this::record);
      return;
    }
    if (webSocket) {
      req.response()
          .setStatusCode(400)
          .putHeader("Content-Type", "application/json")
          .end(
              "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                  + "\"message\":\"websocket not supported here\",\"reason\":\"BadRequest\",\"code\":400}");
      return;
    }
    List<String> command = req.params().getAll("command");
    StreamOptions options = StreamOptions.fromApiServerQuery(req.params());
    RemoteCommandServer.exec(vertx).serve(req, options, new ProcessExecutor(vertx, command));
  }

  /**
   * Every session the exec route set up: {@code TRANSLATED v5.channel.k8s.io -> v4.channel.k8s.io}
   * or {@code SPLICE}.
   */
  List<String> sessions() {
    return sessions;
  }

  private void record(HopSession hop) {
    sessions.add(
        hop.kind() == HopSession.Kind.TRANSLATED
            ? hop.kind() + " " + hop.downstreamProtocol() + " -> " + hop.upstreamProtocol()
            : hop.kind().toString());
  }

  private static void json(HttpServerRequest req, String body) {
    req.response().putHeader("Content-Type", "application/json").end(body);
  }
}
