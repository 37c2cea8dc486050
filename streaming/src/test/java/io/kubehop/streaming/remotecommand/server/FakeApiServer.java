package io.kubehop.streaming.remotecommand.server;

import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.transport.PostUpgrades;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * The smallest apiserver kubectl exec needs (real-clients.md §2, §4): legacy discovery, one Running pod, and its
 * exec subresource served by {@link RemoteCommandServer} with a {@link ProcessExecutor}. WebSocket attempts get a
 * 400 Status, which makes kubectl 1.30+ fall back to SPDY.
 */
final class FakeApiServer {

  private static final String POD_PATH = "/api/v1/namespaces/default/pods/demo";
  private static final String RESOURCES = "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
      + "{\"name\":\"pods\",\"singularName\":\"pod\",\"namespaced\":true,\"kind\":\"Pod\",\"verbs\":[\"get\",\"list\"],"
      + "\"shortNames\":[\"po\"],\"categories\":[\"all\"]},"
      + "{\"name\":\"pods/exec\",\"singularName\":\"\",\"namespaced\":true,\"kind\":\"PodExecOptions\","
      + "\"verbs\":[\"create\",\"get\"]}]}";
  private static final String POD = "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"demo\","
      + "\"namespace\":\"default\"},\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"busybox\"}]},"
      + "\"status\":{\"phase\":\"Running\"}}";

  private final Vertx vertx;
  private HttpServer server;

  FakeApiServer(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Integer> start() {
    server = vertx.createHttpServer(PostUpgrades.configure(new HttpServerOptions().setHost("127.0.0.1")));
    PostUpgrades.install(server);
    server.requestHandler(this::handle);
    return server.listen(0).map(HttpServer::actualPort);
  }

  private void handle(HttpServerRequest req) {
    String path = req.path();
    switch (path) {
      case "/api" -> json(req, "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":"
          + "[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1:" + server.actualPort() + "\"}]}");
      case "/apis" -> json(req, "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}");
      case "/api/v1" -> json(req, RESOURCES);
      case POD_PATH -> json(req, POD);
      case POD_PATH + "/exec" -> exec(req);
      default -> req.response().setStatusCode(404).putHeader("Content-Type", "application/json")
          .end("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
              + "\"message\":\"the server could not find the requested resource\",\"reason\":\"NotFound\",\"code\":404}");
    }
  }

  private void exec(HttpServerRequest req) {
    if ("websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
      req.response().setStatusCode(400).putHeader("Content-Type", "application/json")
          .end("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
              + "\"message\":\"websocket not supported here\",\"reason\":\"BadRequest\",\"code\":400}");
      return;
    }
    List<String> command = req.params().getAll("command");
    StreamOptions options = StreamOptions.fromApiServerQuery(req.params());
    RemoteCommandServer.exec(vertx).serve(req, options, new ProcessExecutor(vertx, command));
  }

  private static void json(HttpServerRequest req, String body) {
    req.response().putHeader("Content-Type", "application/json").end(body);
  }
}
