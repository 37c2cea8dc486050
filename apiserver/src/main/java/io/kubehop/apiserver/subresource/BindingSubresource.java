package io.kubehop.apiserver.subresource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.meta.Status;
import io.kubehop.api.meta.StatusDetails;
import io.kubehop.api.meta.StatusException;
import io.kubehop.api.meta.StatusReason;
import io.kubehop.api.meta.Times;
import io.kubehop.apiserver.http.ApiRequest;
import io.kubehop.apiserver.http.Bodies;
import io.kubehop.apiserver.http.Responses;
import io.kubehop.apiserver.storage.Store;
import io.kubehop.apiserver.storage.StoreKey;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;

/**
 * {@code POST …/pods/{name}/binding}, what an external scheduler uses: sets {@code spec.nodeName}
 * from the Binding's {@code target.name} and PodScheduled=True, once; a pod already bound is a 409,
 * as upstream.
 */
public final class BindingSubresource implements SubresourceHandler {

  private final Store store;

  public BindingSubresource(Store store) {
    this.store = store;
  }

  @Override
  public void handle(ApiRequest req) {
    if (req.http().method() != HttpMethod.POST) {
      throw StatusException.methodNotAllowed();
    }
    Bodies.read(req.http())
        .compose(
            body -> {
              JsonNode binding = Bodies.json(body);
              String node = binding.path("target").path("name").asText("");
              if (node.isEmpty()) {
                throw StatusException.badRequest(
                    "Binding \"" + req.name() + "\" is invalid: target.name: Required value");
              }
              return store
                  .update(
                      new StoreKey("pods", req.namespace(), req.name()),
                      pod -> bind(pod, req.name(), node))
                  .recover(t -> Future.failedFuture(Responses.translate(t, "pods", req.name())));
            })
        .onComplete(
            ar -> {
              if (ar.failed()) {
                Responses.failure(req.http().response(), ar.cause());
              } else {
                Responses.status(
                    req.http().response(),
                    new Status("Status", "v1", null, Status.SUCCESS, null, null, null, 201));
              }
            });
  }

  private static ObjectNode bind(ObjectNode pod, String name, String node) {
    String current = pod.path("spec").path("nodeName").asText("");
    if (!current.isEmpty()) {
      throw new StatusException(
          Status.failure(
              409,
              StatusReason.CONFLICT,
              "Operation cannot be fulfilled on "
                  + "pods/binding \""
                  + name
                  + "\": pod "
                  + name
                  + " is already assigned to node \""
                  + current
                  + "\"",
              StatusDetails.of(name, "pods/binding")));
    }
    pod.withObjectProperty("spec").put("nodeName", node);
    ObjectNode status = pod.withObjectProperty("status");
    var conditions = status.withArrayProperty("conditions");
    for (int i = conditions.size() - 1; i >= 0; i--) {
      if (conditions.get(i).path("type").asText().equals("PodScheduled")) {
        conditions.remove(i);
      }
    }
    ObjectNode c = conditions.addObject();
    c.put("type", "PodScheduled").put("status", "True");
    c.putNull("lastProbeTime");
    c.put("lastTransitionTime", Times.now());
    return pod;
  }
}
