package io.kubehop.apiserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.version.VersionInfo;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.LogCapture;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The apiserver's HTTP contract without kubectl: errors, conflicts, watch, discovery, logs, node
 * lifecycle.
 */
class ApiServerHttpTest {

  /**
   * The apiserver's package logger, which sees the request lines. Held strongly: the LogManager
   * keeps loggers only weakly, and the test's level and handler must stay on this one.
   */
  private static final Logger APISERVER_LOG = Logger.getLogger("io.kubehop.apiserver");

  @TempDir Path tmp;
  TestApiServer api;

  /** schedulerName keeps kubehop's scheduler away, so these tests see only their own writes. */
  private static final String POD =
      "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"NAME\"},"
          + "\"spec\":{\"schedulerName\":\"elsewhere\",\"containers\":[{\"name\":\"main\",\"image\":\"busybox\"}]}}";

  @BeforeEach
  void start() {
    api = new TestApiServer(tmp, Duration.ofMillis(1500), Duration.ofMillis(200), 20);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return ApiJson.mapper().readTree(r.body());
  }

  @Test
  void statusErrors() throws Exception {
    HttpResponse<String> malformed = api.post("/api/v1/namespaces/default/pods", "{bad");
    assertEquals(400, malformed.statusCode());
    assertEquals(
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
            + "\"couldn't get version/kind; json parse error: invalid character 'b' looking for beginning of value\","
            + "\"reason\":\"BadRequest\",\"code\":400}",
        malformed.body());
    assertEquals(
        405,
        api.send("PUT", "/api/v1/namespaces/default/pods", "application/json", "{}").statusCode());
    HttpResponse<String> unknown = api.get("/apis/apps/v1/deployments");
    assertEquals(404, unknown.statusCode());
    assertEquals(
        "the server could not find the requested resource", json(unknown).path("message").asText());
    assertEquals(400, api.get("/api/v1/pods?watch=yes").statusCode());
    HttpResponse<String> invalid =
        api.post("/api/v1/namespaces/default/pods", POD.replace("NAME", "Bad_Name"));
    assertEquals(422, invalid.statusCode());
    assertEquals("Invalid", json(invalid).path("reason").asText());
    assertEquals(
        "metadata.name",
        json(invalid).path("details").path("causes").path(0).path("field").asText());
    assertEquals(
        404, api.get("/api/v1/namespaces/default/pods/Bad_Name").statusCode(), "nothing stored");
    HttpResponse<String> huge =
        api.post("/api/v1/namespaces/default/pods", "{\"pad\":\"" + "x".repeat(4 << 20) + "\"}");
    assertEquals(413, huge.statusCode());
  }

  @Test
  void createDefaultsGenerateNameAndConflicts() throws Exception {
    HttpResponse<String> created =
        api.post(
            "/api/v1/namespaces/default/pods",
            POD.replace("\"name\":\"NAME\"", "\"generateName\":\"gen-\""));
    assertEquals(201, created.statusCode());
    JsonNode pod = json(created);
    String name = pod.path("metadata").path("name").asText();
    assertTrue(name.matches("gen-[bcdfghjklmnpqrstvwxz2456789]{5}"), name);
    assertEquals("default", pod.path("metadata").path("namespace").asText());
    assertEquals("Pending", pod.path("status").path("phase").asText());
    assertEquals(30, pod.path("spec").path("terminationGracePeriodSeconds").asInt());
    assertTrue(pod.path("metadata").path("uid").asText().length() == 36);

    String stale = created.body().replace("\"image\":\"busybox\"", "\"image\":\"busybox:1\"");
    assertEquals(
        200,
        api.send(
                "PUT",
                "/api/v1/namespaces/default/pods/" + name,
                "application/json",
                created.body().replace("\"image\":\"busybox\"", "\"image\":\"busybox:2\""))
            .statusCode());
    HttpResponse<String> conflict =
        api.send("PUT", "/api/v1/namespaces/default/pods/" + name, "application/json", stale);
    assertEquals(409, conflict.statusCode());
    assertEquals(
        "Operation cannot be fulfilled on pods \""
            + name
            + "\": the object has been modified; please "
            + "apply your changes to the latest version and try again",
        json(conflict).path("message").asText());
  }

  @Test
  void statusSubresourceChangesOnlyStatus() throws Exception {
    api.post("/api/v1/namespaces/default/pods", POD.replace("NAME", "s"));
    HttpResponse<String> r =
        api.send(
            "PATCH",
            "/api/v1/namespaces/default/pods/s/status",
            "application/merge-patch+json",
            "{\"metadata\":{\"labels\":{\"x\":\"y\"}},\"status\":{\"phase\":\"Running\"}}");
    assertEquals(200, r.statusCode());
    assertEquals("Running", json(r).path("status").path("phase").asText());
    assertTrue(json(r).path("metadata").path("labels").isMissingNode());
  }

  @Test
  void watchReplaysFromVersionAndExpiredIsAnErrorEvent() throws Exception {
    JsonNode a = json(api.post("/api/v1/namespaces/default/pods", POD.replace("NAME", "a")));
    String rv = a.path("metadata").path("resourceVersion").asText();
    api.post("/api/v1/namespaces/default/pods", POD.replace("NAME", "b"));
    HttpResponse<Stream<String>> watch =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            api.base
                                + "/api/v1/namespaces/default/pods?watch=1&resourceVersion="
                                + rv
                                + "&timeoutSeconds=1"))
                    .build(),
                HttpResponse.BodyHandlers.ofLines());
    assertEquals("application/json", watch.headers().firstValue("Content-Type").orElse(""));
    var events = watch.body().toList();
    assertEquals(1, events.size(), events.toString());
    JsonNode e = ApiJson.mapper().readTree(events.get(0));
    assertEquals("ADDED", e.path("type").asText());
    assertEquals("b", e.path("object").path("metadata").path("name").asText());

    for (int i = 0; i < 25; i++) {
      api.post("/api/v1/namespaces/default/pods", POD.replace("NAME", "p" + i));
    }
    HttpResponse<String> expired = api.get("/api/v1/pods?watch=true&resourceVersion=" + rv);
    assertEquals(200, expired.statusCode());
    JsonNode error = json(expired);
    assertEquals("ERROR", error.path("type").asText());
    assertEquals(410, error.path("object").path("code").asInt());
    assertEquals("Expired", error.path("object").path("reason").asText());
    assertTrue(
        error
            .path("object")
            .path("message")
            .asText()
            .startsWith("too old resource version: " + rv + " ("),
        expired.body());
  }

  @Test
  void discoveryNegotiatesAggregatedForms() throws Exception {
    HttpResponse<String> v2 = api.send("GET", "/api", null, null);
    assertEquals("APIVersions", json(v2).path("kind").asText());
    HttpRequest agg =
        HttpRequest.newBuilder(URI.create(api.base + "/api"))
            .header(
                "Accept",
                "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;"
                    + "v=v2beta1;as=APIGroupDiscoveryList,application/json")
            .build();
    HttpResponse<String> r =
        HttpClient.newHttpClient().send(agg, HttpResponse.BodyHandlers.ofString());
    assertEquals(
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
        r.headers().firstValue("Content-Type").orElse(""));
    assertEquals("apidiscovery.k8s.io/v2", json(r).path("apiVersion").asText());
    assertEquals("ok", api.get("/readyz").body());
  }

  /**
   * /version is kubehop's one version, the one the kubelet reports as the Node's kubeletVersion.
   */
  @Test
  void versionIsKubehopsOneVersion() throws Exception {
    JsonNode version = json(api.get("/version"));
    VersionInfo info = VersionInfo.get();
    assertEquals(info.gitVersion(), version.path("gitVersion").asText());
    assertEquals(info.major(), version.path("major").asText());
    assertEquals(info.minor(), version.path("minor").asText());
  }

  /**
   * A kubelet's heartbeat ({@code PUT …/nodes/node-1/status 200}) is logged at FINE, below what
   * {@code bin/kubehop up} prints; a change and a failed status write are logged at INFO.
   */
  @Test
  void heartbeatsAreNotLoggedAtInfo() throws Exception {
    LogCapture capture = new LogCapture();
    List<LogRecord> records = capture.records();
    Level before = APISERVER_LOG.getLevel();
    APISERVER_LOG.setLevel(
        Level.FINE); // so that the FINE line is made, and this test sees where it went
    APISERVER_LOG.addHandler(capture);
    try {
      assertEquals(201, api.registerNode("node-1").statusCode());
      String node = api.get("/api/v1/nodes/node-1").body();
      assertEquals(
          200,
          api.send("PUT", "/api/v1/nodes/node-1/status", "application/json", node).statusCode());
      assertEquals(
          404,
          api.send(
                  "PUT",
                  "/api/v1/nodes/node-2/status",
                  "application/json",
                  node.replace("node-1", "node-2"))
              .statusCode());
      Await.until(
          "the four request lines",
          Duration.ofSeconds(10),
          () -> records.stream().filter(r -> r.getLoggerName().endsWith(".HttpLog")).count() >= 4);
      assertEquals(Level.INFO, levelOf(records, "POST /api/v1/nodes 201"));
      assertEquals(Level.FINE, levelOf(records, "PUT /api/v1/nodes/node-1/status 200"));
      assertEquals(Level.INFO, levelOf(records, "PUT /api/v1/nodes/node-2/status 404"));
      assertEquals(Level.FINE, levelOf(records, "GET /api/v1/nodes/node-1 200"));
    } finally {
      APISERVER_LOG.removeHandler(capture);
      APISERVER_LOG.setLevel(before);
    }
  }

  private static Level levelOf(List<LogRecord> records, String message) {
    return records.stream()
        .filter(r -> message.equals(r.getMessage()))
        .map(LogRecord::getLevel)
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no line "
                        + message
                        + " in "
                        + records.stream().map(LogRecord::getMessage).toList()));
  }

  @Test
  void nodeGoesNotReadyWhenHeartbeatsStop() throws Exception {
    api.registerNode("node-1");
    Await.until(
        "Ready=Unknown",
        Duration.ofSeconds(10),
        () -> {
          try {
            JsonNode ready =
                json(api.get("/api/v1/nodes/node-1")).path("status").path("conditions").path(0);
            return ready.path("status").asText().equals("Unknown")
                && ready.path("reason").asText().equals("NodeStatusUnknown")
                && ready.path("message").asText().equals("Kubelet stopped posting node status.");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void logsAreProxiedFromTheKubelet() throws Exception {
    HttpServer kubelet =
        api.vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.response()
                        .putHeader("Content-Type", "text/plain")
                        .end("uri=" + req.uri() + "\n"))
            .listen(0, "127.0.0.1")
            .await();
    try {
      api.post(
          "/api/v1/nodes",
          "{\"metadata\":{\"name\":\"n\"},\"status\":{\"addresses\":[{\"type\":\"InternalIP\","
              + "\"address\":\"127.0.0.1\"}],\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":"
              + kubelet.actualPort()
              + "}}}}");
      api.post(
          "/api/v1/namespaces/default/pods",
          POD.replace("NAME", "p").replace("\"spec\":{", "\"spec\":{\"nodeName\":\"n\","));
      HttpResponse<String> logs =
          api.get("/api/v1/namespaces/default/pods/p/log?follow=true&tailLines=5&timestamps=0");
      assertEquals(200, logs.statusCode());
      assertEquals("uri=/containerLogs/default/p/main?follow=true&tailLines=5\n", logs.body());
      HttpResponse<String> badContainer =
          api.get("/api/v1/namespaces/default/pods/p/log?container=x");
      assertEquals(
          "container x is not valid for pod p", json(badContainer).path("message").asText());
    } finally {
      kubelet.close().await();
    }
    api.post("/api/v1/namespaces/default/pods", POD.replace("NAME", "unbound"));
    HttpResponse<String> unbound = api.get("/api/v1/namespaces/default/pods/unbound/log");
    assertEquals(200, unbound.statusCode());
    assertEquals("", unbound.body(), "upstream: a pod without a node has an empty log location");
    HttpResponse<String> refused = api.get("/api/v1/namespaces/default/pods/p/log");
    assertEquals(500, refused.statusCode());
    assertEquals(
        "error dialing backend: dial tcp 127.0.0.1:"
            + json(api.get("/api/v1/nodes/n"))
                .path("status")
                .path("daemonEndpoints")
                .path("kubeletEndpoint")
                .path("Port")
                .asInt()
            + ": connect: connection refused",
        json(refused).path("message").asText());
  }

  @Test
  void gracefulDeletionOfBoundPods() throws Exception {
    api.post(
        "/api/v1/namespaces/default/pods",
        POD.replace("NAME", "g").replace("\"spec\":{", "\"spec\":{\"nodeName\":\"node-x\","));
    HttpResponse<String> first =
        api.send("DELETE", "/api/v1/namespaces/default/pods/g", "application/json", "{}");
    assertEquals(200, first.statusCode());
    assertEquals(30, json(first).path("metadata").path("deletionGracePeriodSeconds").asInt());
    assertEquals(200, api.get("/api/v1/namespaces/default/pods/g").statusCode());
    assertEquals(
        200,
        api.send(
                "DELETE",
                "/api/v1/namespaces/default/pods/g",
                "application/json",
                "{\"gracePeriodSeconds\":0}")
            .statusCode());
    assertEquals(404, api.get("/api/v1/namespaces/default/pods/g").statusCode());
  }

  @Test
  void bindingAndDeleteCollection() throws Exception {
    api.post(
        "/api/v1/namespaces/default/pods",
        POD.replace("NAME", "b1")
            .replace("\"name\":\"b1\"", "\"name\":\"b1\",\"labels\":{\"app\":\"x\"}"));
    api.post("/api/v1/namespaces/default/pods", POD.replace("NAME", "b2"));
    HttpResponse<String> bound =
        api.post(
            "/api/v1/namespaces/default/pods/b1/binding",
            "{\"kind\":\"Binding\",\"metadata\":{\"name\":\"b1\"},\"target\":{\"kind\":\"Node\",\"name\":\"n9\"}}");
    assertEquals(201, bound.statusCode(), bound.body());
    assertEquals(
        "n9",
        json(api.get("/api/v1/namespaces/default/pods/b1")).path("spec").path("nodeName").asText());
    HttpResponse<String> again =
        api.post("/api/v1/namespaces/default/pods/b1/binding", "{\"target\":{\"name\":\"n8\"}}");
    assertEquals(409, again.statusCode());
    assertEquals(
        "Operation cannot be fulfilled on pods/binding \"b1\": pod b1 is already assigned to node \"n9\"",
        json(again).path("message").asText());

    HttpResponse<String> deleted =
        api.send(
            "DELETE",
            "/api/v1/namespaces/default/pods?labelSelector=app%21%3Dx",
            "application/json",
            null);
    assertEquals(200, deleted.statusCode());
    assertEquals("PodList", json(deleted).path("kind").asText());
    assertEquals(1, json(deleted).path("items").size());
    assertEquals(404, api.get("/api/v1/namespaces/default/pods/b2").statusCode());
    assertEquals(200, api.get("/api/v1/namespaces/default/pods/b1").statusCode());
  }

  @Test
  void tableAcceptAndFieldSelector() throws Exception {
    api.post("/api/v1/namespaces/default/pods", POD.replace("NAME", "t1"));
    HttpRequest table =
        HttpRequest.newBuilder(
                URI.create(
                    api.base + "/api/v1/pods?fieldSelector=metadata.name%3Dt1,spec.nodeName%3D"))
            .header(
                "Accept",
                "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json")
            .build();
    JsonNode t = json(HttpClient.newHttpClient().send(table, HttpResponse.BodyHandlers.ofString()));
    assertEquals("Table", t.path("kind").asText());
    assertEquals("meta.k8s.io/v1", t.path("apiVersion").asText());
    assertEquals(1, t.path("rows").size());
    assertEquals("t1", t.path("rows").path(0).path("cells").path(0).asText());
    assertEquals(
        "PartialObjectMetadata", t.path("rows").path(0).path("object").path("kind").asText());
    assertEquals(
        0,
        json(api.get("/api/v1/pods?fieldSelector=status.phase%21%3DPending")).path("items").size());
  }

  @Test
  void nodeWatchSeesAPodBoundToItAsAdded() throws Exception {
    api.post("/api/v1/namespaces/default/pods", POD.replace("NAME", "w1"));
    String rv =
        json(api.get("/api/v1/pods?fieldSelector=spec.nodeName%3Dn1"))
            .path("metadata")
            .path("resourceVersion")
            .asText();
    CompletableFuture<HttpResponse<Stream<String>>> watch =
        HttpClient.newHttpClient()
            .sendAsync(
                HttpRequest.newBuilder(
                        URI.create(
                            api.base
                                + "/api/v1/pods?fieldSelector=spec.nodeName%3Dn1&watch=true"
                                + "&resourceVersion="
                                + rv
                                + "&timeoutSeconds=2"))
                    .build(),
                HttpResponse.BodyHandlers.ofLines());
    assertEquals(
        201,
        api.post("/api/v1/namespaces/default/pods/w1/binding", "{\"target\":{\"name\":\"n1\"}}")
            .statusCode());
    api.send(
        "DELETE",
        "/api/v1/namespaces/default/pods/w1",
        "application/json",
        "{\"gracePeriodSeconds\":0}");
    var events =
        watch
            .get(10, TimeUnit.SECONDS)
            .body()
            .map(
                l -> {
                  try {
                    JsonNode e = ApiJson.mapper().readTree(l);
                    return e.path("type").asText()
                        + " "
                        + e.path("object").path("metadata").path("name").asText();
                  } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                  }
                })
            .toList();
    assertEquals(List.of("ADDED w1", "DELETED w1"), events);

    HttpResponse<String> named =
        api.get("/api/v1/namespaces/default/pods/none?watch=true&timeoutSeconds=1");
    assertEquals(200, named.statusCode());
    assertEquals("", named.body());
  }
}
