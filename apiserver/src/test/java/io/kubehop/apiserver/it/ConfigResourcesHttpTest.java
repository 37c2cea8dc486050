package io.kubehop.apiserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.json.ApiJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ConfigMaps, Secrets and Events over HTTP: defaulting, updates, selectors and watch. */
class ConfigResourcesHttpTest {

  @TempDir Path tmp;
  TestApiServer api;

  @BeforeEach
  void start() {
    api = new TestApiServer(tmp);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return ApiJson.mapper().readTree(r.body());
  }

  private static String q(String json) {
    return json.replace('\'', '"');
  }

  @Test
  void secretStringDataIsMergedOnCreateAndUpdate() throws Exception {
    HttpResponse<String> created =
        api.post(
            "/api/v1/namespaces/default/secrets",
            q("{'metadata':{'name':'s'},'stringData':{'user':'admin'}}"));
    assertEquals(201, created.statusCode(), created.body());
    JsonNode s = json(created);
    assertEquals("Opaque", s.path("type").asText());
    assertEquals("{\"user\":\"YWRtaW4=\"}", s.path("data").toString());
    assertFalse(s.has("stringData"));
    HttpResponse<String> patched =
        api.send(
            "PATCH",
            "/api/v1/namespaces/default/secrets/s",
            "application/merge-patch+json",
            q("{'stringData':{'password':'x'}}"));
    assertEquals(200, patched.statusCode(), patched.body());
    assertEquals(
        "{\"user\":\"YWRtaW4=\",\"password\":\"eA==\"}", json(patched).path("data").toString());
    assertFalse(json(api.get("/api/v1/namespaces/default/secrets/s")).has("stringData"));
  }

  @Test
  void immutableConfigMapRefusesAnUpdateOfItsData() throws Exception {
    api.post(
        "/api/v1/namespaces/default/configmaps",
        q("{'metadata':{'name':'c'},'immutable':true,'data':{'a':'1'}}"));
    HttpResponse<String> put =
        api.send(
            "PUT",
            "/api/v1/namespaces/default/configmaps/c",
            "application/json",
            q("{'metadata':{'name':'c'},'immutable':true,'data':{'a':'2'}}"));
    assertEquals(422, put.statusCode());
    assertEquals(
        "ConfigMap \"c\" is invalid: data: Forbidden: field is immutable when `immutable` is set",
        json(put).path("message").asText());
    assertEquals(
        "1",
        json(api.get("/api/v1/namespaces/default/configmaps/c")).path("data").path("a").asText());
  }

  @Test
  void listsSelectByLabelAndField() throws Exception {
    api.post(
        "/api/v1/namespaces/default/configmaps",
        q("{'metadata':{'name':'one','labels':{'app':'x'}}}"));
    api.post(
        "/api/v1/namespaces/default/configmaps",
        q("{'metadata':{'name':'two','labels':{'app':'y'}}}"));
    assertEquals(
        "one",
        json(api.get("/api/v1/configmaps?labelSelector=app%3Dx"))
            .path("items")
            .path(0)
            .path("metadata")
            .path("name")
            .asText());
    JsonNode byName =
        json(api.get("/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Dtwo"));
    assertEquals(1, byName.path("items").size());
    assertEquals("ConfigMapList", byName.path("kind").asText());
    HttpResponse<String> unsupported = api.get("/api/v1/configmaps?fieldSelector=type%3DOpaque");
    assertEquals(400, unsupported.statusCode());
    assertEquals("field label not supported: type", json(unsupported).path("message").asText());
  }

  @Test
  void eventsWatchByInvolvedObject() throws Exception {
    String rv =
        json(api.get("/api/v1/namespaces/default/events"))
            .path("metadata")
            .path("resourceVersion")
            .asText();
    for (String pod : new String[] {"other", "demo"}) {
      HttpResponse<String> r =
          api.post(
              "/api/v1/namespaces/default/events",
              q(
                  "{'metadata':{'name':'"
                      + pod
                      + ".1'},'involvedObject':{'kind':'Pod','namespace':'default','name':'"
                      + pod
                      + "'},'reason':'Pulled','type':'Normal','count':1}"));
      assertEquals(201, r.statusCode(), r.body());
    }
    HttpResponse<Stream<String>> watch =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            api.base
                                + "/api/v1/namespaces/default/events?watch=1&resourceVersion="
                                + rv
                                + "&fieldSelector=involvedObject.name%3Ddemo,involvedObject.kind%3DPod"
                                + "&timeoutSeconds=1"))
                    .build(),
                HttpResponse.BodyHandlers.ofLines());
    var events = watch.body().toList();
    assertEquals(1, events.size(), events.toString());
    JsonNode e = ApiJson.mapper().readTree(events.get(0));
    assertEquals("ADDED", e.path("type").asText());
    assertEquals("demo.1", e.path("object").path("metadata").path("name").asText());
  }

  @Test
  void eventsK8sIoV1ServesTheSameEventsReadOnly() throws Exception {
    api.post(
        "/api/v1/namespaces/default/events",
        q(
            "{'metadata':{'name':'demo.1'},'involvedObject':{'kind':'Pod','namespace':'default',"
                + "'name':'demo'},'message':'hello','type':'Normal'}"));
    JsonNode list = json(api.get("/apis/events.k8s.io/v1/namespaces/default/events"));
    assertEquals("EventList", list.path("kind").asText());
    assertEquals("events.k8s.io/v1", list.path("apiVersion").asText());
    assertEquals("hello", list.path("items").path(0).path("note").asText());
    assertEquals(
        "demo",
        json(api.get("/apis/events.k8s.io/v1/namespaces/default/events/demo.1"))
            .path("regarding")
            .path("name")
            .asText());
    assertEquals(
        405, api.post("/apis/events.k8s.io/v1/namespaces/default/events", "{}").statusCode());
    assertEquals(404, api.get("/apis/events.k8s.io/v1/namespaces/default/pods").statusCode());
    JsonNode groups = json(api.get("/apis")).path("groups");
    assertEquals(1, groups.size());
    assertEquals("events.k8s.io", groups.path(0).path("name").asText());
  }
}
