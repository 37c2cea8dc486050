package io.kubehop.streaming.fault;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /debug/faults} of a tier, in JSON: {@code GET} lists its rules ({@code {"tier", "hops",
 * "faults": [...]}}), {@code POST} adds the rule in the body ({@code {"hop", "session", "fault":
 * {"type", ...}}}, 201 with the rule as held), {@code DELETE} removes them all, those of {@code
 * ?hop=}, or the one of {@code ?id=} ({@code {"removed": n}}). A tier refuses a rule for a hop it
 * does not play (400 naming the tier that does). Errors are Kubernetes Status objects, so that a
 * client reads them alike from the apiserver and, through its node proxy, from a kubelet.
 */
public final class DebugFaults {

  /** The path every tier serves its fault rules on. */
  public static final String PATH = "/debug/faults";

  private final String tier;
  private final Set<Hop> hops;
  private final FaultTable table;

  /**
   * @param hops the hops this tier plays (the apiserver: client-apiserver and apiserver-kubelet;
   *     the kubelet: kubelet-runtime)
   */
  public DebugFaults(String tier, Set<Hop> hops, FaultTable table) {
    this.tier = tier;
    this.hops = Set.copyOf(hops);
    this.table = table;
  }

  public void handle(HttpServerRequest req) {
    if (req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD) {
      json(req, 200, list());
    } else if (req.method() == HttpMethod.POST) {
      req.body()
          .onSuccess(
              body -> {
                try {
                  json(req, 201, add(new JsonObject(body)).toJson());
                } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
                  status(req, 400, "BadRequest", e.getMessage());
                }
              })
          .onFailure(e -> status(req, 400, "BadRequest", e.getMessage()));
    } else if (req.method() == HttpMethod.DELETE) {
      try {
        String id = req.getParam("id");
        String hop = req.getParam("hop");
        int removed =
            id != null
                ? (table.remove(id) ? 1 : 0)
                : table.clear(Optional.ofNullable(hop).map(Hop::parse));
        json(req, 200, new JsonObject().put("tier", tier).put("removed", removed));
      } catch (IllegalArgumentException e) {
        status(req, 400, "BadRequest", e.getMessage());
      }
    } else {
      req.response().putHeader("Allow", "GET, HEAD, POST, DELETE");
      status(req, 405, "MethodNotAllowed", "the server does not allow this method");
    }
  }

  /** What {@code GET} answers. */
  public JsonObject list() {
    return new JsonObject()
        .put("tier", tier)
        .put("hops", new JsonArray(hops.stream().sorted().map(Hop::label).toList()))
        .put("faults", new JsonArray(table.rules().stream().map(FaultRule::toJson).toList()));
  }

  /** Adds the rule {@code request} asks for; IllegalArgumentException if malformed or not ours. */
  public FaultRule add(JsonObject request) {
    FaultRule rule = FaultRule.request(request);
    if (!hops.contains(rule.hop())) {
      throw new IllegalArgumentException(
          "the "
              + tier
              + " does not play hop "
              + rule.hop().label()
              + (rule.hop() == Hop.KUBELET_RUNTIME
                  ? " (the kubelet does: /api/v1/nodes/NODE/proxy" + PATH + ")"
                  : " (the apiserver does)"));
    }
    return table.add(rule);
  }

  private static void json(HttpServerRequest req, int code, JsonObject body) {
    req.response()
        .setStatusCode(code)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  private static void status(HttpServerRequest req, int code, String reason, String message) {
    json(
        req,
        code,
        new JsonObject()
            .put("kind", "Status")
            .put("apiVersion", "v1")
            .put("metadata", new JsonObject())
            .put("status", "Failure")
            .put("message", message)
            .put("reason", reason)
            .put("code", code));
  }
}
