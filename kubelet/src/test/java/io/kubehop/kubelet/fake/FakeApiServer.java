package io.kubehop.kubelet.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.Times;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A small stand-in for the apiserver: stores pods and nodes, serves list + watch (chunked JSON
 * lines) of pods by {@code spec.nodeName}, node create/get/update/status, pod status updates and
 * deletes with upstream's graceful semantics. Records every request. Thread-safe (synchronized),
 * test helpers may be called from any thread.
 */
public final class FakeApiServer implements AutoCloseable {

  /** One request as the fake received it. */
  public record Request(String method, String path, String query, JsonNode body, long at) {}

  private record Event(long rv, String type, ObjectNode object) {}

  private record Watcher(String nodeName, HttpServerResponse response) {}

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final Map<String, ObjectNode> pods = new LinkedHashMap<>();
  private final Map<String, ObjectNode> nodes = new LinkedHashMap<>();
  private final List<Event> events = new ArrayList<>();
  private final List<Watcher> watchers = new ArrayList<>();

  /** Events written by the kubelet, by namespace/name (POST creates, PATCH merges). */
  public final Map<String, ObjectNode> eventObjects =
      new java.util.concurrent.ConcurrentHashMap<>();

  public final List<Request> requests = new CopyOnWriteArrayList<>();

  /** Any other object a GET may read (configMaps, secrets), JSON by path; else 404. */
  public final Map<String, String> objects = new java.util.concurrent.ConcurrentHashMap<>();

  private long rv = 100;
  private int conflictsToInject;

  public FakeApiServer() throws Exception {
    server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false));
    server.requestHandler(req -> req.body().onSuccess(body -> handle(req, body)));
    server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Creates a pod bound to {@code nodeName}; returns it with uid and resourceVersion. */
  public synchronized ObjectNode createPod(String json) {
    ObjectNode pod = (ObjectNode) parse(json);
    ObjectNode meta = pod.withObjectProperty("metadata");
    if (!meta.has("namespace")) {
      meta.put("namespace", "default");
    }
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("creationTimestamp", Times.now());
    pod.put("apiVersion", "v1").put("kind", "Pod");
    store(pod, "ADDED");
    return pod.deepCopy();
  }

  /**
   * What the apiserver's DELETE of a bound pod does: set deletionTimestamp and
   * deletionGracePeriodSeconds.
   */
  public synchronized void markDeleting(String ns, String name, long grace) {
    ObjectNode pod = pods.get(ns + "/" + name).deepCopy();
    pod.withObjectProperty("metadata")
        .put("deletionTimestamp", Times.now())
        .put("deletionGracePeriodSeconds", grace);
    store(pod, "MODIFIED");
  }

  /** Removes a pod at once (DELETED event), as a force delete does. */
  public synchronized void removePod(String ns, String name) {
    ObjectNode pod = pods.remove(ns + "/" + name);
    if (pod != null) {
      rv++;
      pod.withObjectProperty("metadata").put("resourceVersion", Long.toString(rv));
      publish(new Event(rv, "DELETED", pod));
    }
  }

  /** Ends every open watch (as an apiserver restart or a watch timeout does). */
  public synchronized void dropWatches() {
    for (Watcher w : watchers) {
      w.response().end();
    }
    watchers.clear();
  }

  /** The next {@code n} node status updates fail with 409 Conflict. */
  public synchronized void conflictNextNodeStatusUpdates(int n) {
    conflictsToInject = n;
  }

  public synchronized ObjectNode pod(String ns, String name) {
    ObjectNode pod = pods.get(ns + "/" + name);
    return pod == null ? null : pod.deepCopy();
  }

  public synchronized ObjectNode node(String name) {
    ObjectNode node = nodes.get(name);
    return node == null ? null : node.deepCopy();
  }

  public synchronized void putNode(String json) {
    ObjectNode node = (ObjectNode) parse(json);
    rv++;
    node.withObjectProperty("metadata").put("resourceVersion", Long.toString(rv));
    nodes.put(node.path("metadata").path("name").asText(), node);
  }

  public List<Request> requests(String method, String path) {
    return requests.stream()
        .filter(r -> r.method().equals(method) && r.path().equals(path))
        .toList();
  }

  private void store(ObjectNode pod, String type) {
    rv++;
    pod.withObjectProperty("metadata").put("resourceVersion", Long.toString(rv));
    String key =
        pod.path("metadata").path("namespace").asText()
            + "/"
            + pod.path("metadata").path("name").asText();
    pods.put(key, pod);
    publish(new Event(rv, type, pod.deepCopy()));
  }

  private void publish(Event e) {
    events.add(e);
    String nodeName = e.object().path("spec").path("nodeName").asText();
    for (Watcher w : watchers) {
      if (w.nodeName().equals(nodeName)) {
        write(w.response(), e);
      }
    }
  }

  private static void write(HttpServerResponse response, Event e) {
    ObjectNode line = ApiJson.mapper().createObjectNode();
    line.put("type", e.type()).set("object", e.object());
    response.write(ApiJson.write(line) + "\n");
  }

  private synchronized void handle(HttpServerRequest req, Buffer body) {
    JsonNode json = body.length() == 0 ? null : parse(body.toString());
    requests.add(
        new Request(req.method().name(), req.path(), req.query(), json, System.nanoTime()));
    String[] p = req.path().substring(1).split("/");
    String m = req.method().name();
    if (m.equals("GET") && objects.containsKey(req.path())) {
      reply(req, 200, parse(objects.get(req.path())));
    } else if (req.path().equals("/api/v1/pods") && m.equals("GET")) {
      listOrWatchPods(req);
    } else if (p.length >= 6 && p[2].equals("namespaces") && p[4].equals("pods")) {
      pod(req, m, p[3], p[5], p.length > 6 ? p[6] : null, json);
    } else if (p.length >= 5 && p[2].equals("namespaces") && p[4].equals("events")) {
      event(req, m, p[3], p.length > 5 ? p[5] : null, json);
    } else if (p.length >= 3 && p[2].equals("nodes")) {
      node(req, m, p.length > 3 ? p[3] : null, p.length > 4 ? p[4] : null, json);
    } else {
      reply(req, 404, status(404, "NotFound", "the server could not find the requested resource"));
    }
  }

  private void listOrWatchPods(HttpServerRequest req) {
    String selector = req.getParam("fieldSelector", "");
    String nodeName =
        selector.startsWith("spec.nodeName=") ? selector.substring("spec.nodeName=".length()) : "";
    if ("true".equals(req.getParam("watch"))) {
      long from = Long.parseLong(req.getParam("resourceVersion", "0"));
      HttpServerResponse response =
          req.response().setChunked(true).putHeader("Content-Type", "application/json");
      response.writeHead();
      for (Event e : events) {
        if (e.rv() > from && e.object().path("spec").path("nodeName").asText().equals(nodeName)) {
          write(response, e);
        }
      }
      Watcher w = new Watcher(nodeName, response);
      watchers.add(w);
      req.connection()
          .closeHandler(
              v -> {
                synchronized (this) {
                  watchers.remove(w);
                }
              });
      return;
    }
    ObjectNode list = ApiJson.mapper().createObjectNode();
    list.put("kind", "PodList")
        .put("apiVersion", "v1")
        .putObject("metadata")
        .put("resourceVersion", Long.toString(rv));
    var items = list.putArray("items");
    pods.values().stream()
        .filter(pod -> pod.path("spec").path("nodeName").asText().equals(nodeName))
        .forEach(items::add);
    reply(req, 200, list);
  }

  private void pod(
      HttpServerRequest req, String m, String ns, String name, String sub, JsonNode body) {
    ObjectNode pod = pods.get(ns + "/" + name);
    if (pod == null) {
      reply(req, 404, status(404, "NotFound", "pods \"" + name + "\" not found"));
      return;
    }
    if (m.equals("GET")) {
      reply(req, 200, pod);
    } else if (m.equals("PUT") && "status".equals(sub)) {
      ObjectNode updated = pod.deepCopy();
      updated.set("status", body.get("status"));
      store(updated, "MODIFIED");
      reply(req, 200, updated);
    } else if (m.equals("DELETE")) {
      if (body != null && body.path("gracePeriodSeconds").asLong(-1) == 0) {
        removePod(ns, name);
      } else {
        markDeleting(ns, name, 30);
      }
      reply(req, 200, pod);
    } else {
      reply(
          req,
          405,
          status(
              405,
              "MethodNotAllowed",
              "the server does not allow this method on the requested resource"));
    }
  }

  private void event(HttpServerRequest req, String m, String ns, String name, JsonNode body) {
    if (m.equals("POST")) {
      eventObjects.put(ns + "/" + body.path("metadata").path("name").asText(), (ObjectNode) body);
      reply(req, 201, body);
    } else if (m.equals("PATCH") && name != null && eventObjects.containsKey(ns + "/" + name)) {
      ObjectNode ev = eventObjects.get(ns + "/" + name).deepCopy();
      body.fields().forEachRemaining(f -> ev.set(f.getKey(), f.getValue()));
      eventObjects.put(ns + "/" + name, ev);
      reply(req, 200, ev);
    } else {
      reply(req, 404, status(404, "NotFound", "events \"" + name + "\" not found"));
    }
  }

  /** The events about a pod, as "reason: message (xcount)". */
  public List<String> eventsOf(String podName) {
    List<String> out = new ArrayList<>();
    for (ObjectNode ev : eventObjects.values()) {
      if (ev.path("involvedObject").path("name").asText().equals(podName)) {
        out.add(
            ev.path("reason").asText()
                + ": "
                + ev.path("message").asText()
                + " (x"
                + ev.path("count").asInt()
                + ")");
      }
    }
    return out;
  }

  private void node(HttpServerRequest req, String m, String name, String sub, JsonNode body) {
    if (name == null && m.equals("POST")) {
      String n = body.path("metadata").path("name").asText();
      if (nodes.containsKey(n)) {
        reply(req, 409, status(409, "AlreadyExists", "nodes \"" + n + "\" already exists"));
        return;
      }
      putNode(body.toString());
      reply(req, 201, nodes.get(n));
      return;
    }
    ObjectNode node = name == null ? null : nodes.get(name);
    if (node == null) {
      reply(req, 404, status(404, "NotFound", "nodes \"" + name + "\" not found"));
      return;
    }
    if (m.equals("GET")) {
      reply(req, 200, node);
    } else if (m.equals("PUT")) {
      String sent = body.path("metadata").path("resourceVersion").asText("");
      if ("status".equals(sub) && conflictsToInject > 0) {
        conflictsToInject--;
        reply(
            req,
            409,
            status(409, "Conflict", "Operation cannot be fulfilled on nodes \"" + name + "\""));
        return;
      }
      if (!sent.isEmpty() && !sent.equals(node.path("metadata").path("resourceVersion").asText())) {
        reply(
            req,
            409,
            status(409, "Conflict", "Operation cannot be fulfilled on nodes \"" + name + "\""));
        return;
      }
      ObjectNode updated = "status".equals(sub) ? node.deepCopy() : ((ObjectNode) body).deepCopy();
      updated.set("status", body.get("status"));
      putNode(updated.toString());
      reply(req, 200, nodes.get(name));
    } else {
      reply(
          req,
          405,
          status(
              405,
              "MethodNotAllowed",
              "the server does not allow this method on the requested resource"));
    }
  }

  private static ObjectNode status(int code, String reason, String message) {
    ObjectNode s = ApiJson.mapper().createObjectNode();
    s.put("kind", "Status")
        .put("apiVersion", "v1")
        .put("status", "Failure")
        .put("message", message)
        .put("reason", reason)
        .put("code", code);
    return s;
  }

  private static void reply(HttpServerRequest req, int code, JsonNode body) {
    req.response()
        .setStatusCode(code)
        .putHeader("Content-Type", "application/json")
        .end(ApiJson.write(body));
  }

  private static JsonNode parse(String json) {
    try {
      return ApiJson.tree(json.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
