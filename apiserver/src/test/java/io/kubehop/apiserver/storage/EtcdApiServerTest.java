package io.kubehop.apiserver.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.apiserver.ApiServer;
import io.kubehop.testkit.EtcdProcess;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The apiserver on {@code --storage-backend etcd}: its REST layer over etcd, and an HTTP watch the
 * store ends (the history it needed was compacted) ends for the client with a 410, so it relists.
 */
class EtcdApiServerTest {

  private static final String POD =
      "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"NAME\"},"
          + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}";

  @TempDir Path home;
  EtcdProcess etcd;
  Vertx vertx;
  ApiServer server;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    etcd = EtcdProcess.start(home.resolve("etcd"));
    vertx = Vertx.vertx();
    server =
        ApiServer.start(
                vertx,
                new ApiServer.Options(
                        home, "127.0.0.1", 0, Duration.ofSeconds(40), Duration.ofSeconds(5))
                    .withStorage(StorageOptions.etcd(List.of(etcd.clientUrl()), "/registry")))
            .await();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close().await();
    }
    vertx.close().await();
    etcd.stop();
  }

  private String base() {
    return "http://127.0.0.1:" + server.port();
  }

  private JsonNode send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base() + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    return ApiJson.mapper()
        .readTree(http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  @Test
  void restWritesLandInEtcdAndAWatchTheStoreEndsEndsWithGone() throws Exception {
    assertEquals(
        List.of("default", "kube-node-lease", "kube-public", "kube-system"),
        ApiJson.mapper()
            .convertValue(
                send("GET", "/api/v1/namespaces", null).path("items").findValuesAsText("name"),
                List.class));
    JsonNode a = send("POST", "/api/v1/namespaces/default/pods", POD.replace("NAME", "a"));
    assertEquals("a", a.path("metadata").path("name").asText(), a.toString());
    String listed =
        send("GET", "/api/v1/namespaces/default/pods", null)
            .path("metadata")
            .path("resourceVersion")
            .asText();
    assertTrue(
        Long.parseLong(listed)
            >= Long.parseLong(a.path("metadata").path("resourceVersion").asText()));

    HttpResponse<Stream<String>> watch =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base()
                            + "/api/v1/namespaces/default/pods?watch=1&resourceVersion="
                            + listed))
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    EtcdStore store = (EtcdStore) server.store();
    store.pauseWatch().await();
    // two writes while the shared watch is down, and a compaction past the first: it is lost
    for (String name : List.of("lost-1", "lost-2")) {
      store
          .create(
              new StoreKey("pods", "default", name),
              (ObjectNode) ApiJson.mapper().readTree(POD.replace("NAME", name)))
          .await();
    }
    long latest = store.list("pods", null).await().resourceVersion();
    store.compact(latest).await();
    store.resumeWatch();

    List<String> events =
        CompletableFuture.supplyAsync(() -> watch.body().toList())
            .get(20, TimeUnit.SECONDS); // the stream ends: the client's watch is over
    // before it, at most the scheduler's own write to a (no node: Unschedulable); never a lost one
    assertTrue(events.stream().noneMatch(e -> e.contains("lost-")), events.toString());
    JsonNode error = ApiJson.mapper().readTree(events.get(events.size() - 1));
    assertEquals("ERROR", error.path("type").asText());
    assertEquals(410, error.path("object").path("code").asInt());
    assertEquals("Expired", error.path("object").path("reason").asText());
  }
}
