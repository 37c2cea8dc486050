package io.kubehop.apiserver.it;

import io.kubehop.api.meta.Times;
import io.kubehop.apiserver.ApiServer;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An in-process apiserver on a random port with a temp home, plus a tiny HTTP client for the tests.
 */
final class TestApiServer implements AutoCloseable {

  final Vertx vertx = Vertx.vertx();
  final ApiServer server;
  final String base;
  private final HttpClient http = HttpClient.newHttpClient();

  TestApiServer(Path home, Duration nodeGrace, Duration nodeMonitorPeriod) {
    this(home, nodeGrace, nodeMonitorPeriod, 10_000);
  }

  TestApiServer(Path home, Duration nodeGrace, Duration nodeMonitorPeriod, int watchHistory) {
    server =
        ApiServer.start(
                vertx,
                new ApiServer.Options(
                    home, "127.0.0.1", 0, nodeGrace, nodeMonitorPeriod, watchHistory))
            .await();
    base = "http://127.0.0.1:" + server.port();
  }

  TestApiServer(Path home) {
    this(home, Duration.ofSeconds(40), Duration.ofSeconds(5));
  }

  HttpResponse<String> send(String method, String path, String contentType, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send("GET", path, null, null);
  }

  HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
    return send("POST", path, "application/json", json);
  }

  /** A node as the kubelet registers it, Ready with a fresh heartbeat. */
  HttpResponse<String> registerNode(String name) throws IOException, InterruptedException {
    String now = Times.now();
    return post(
        "/api/v1/nodes",
        "{\"kind\":\"Node\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\""
            + name
            + "\"},\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.1.1\"},"
            + "{\"type\":\"Hostname\",\"address\":\""
            + name
            + "\"}],\"nodeInfo\":{\"kubeletVersion\":\"v1.30.0\"},"
            + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\","
            + "\"lastHeartbeatTime\":\""
            + now
            + "\",\"lastTransitionTime\":\""
            + now
            + "\"}]}}");
  }

  @Override
  public void close() {
    server.close().await();
    vertx.close().await();
  }
}
