package io.kubehop.kubelet.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.kubelet.pod.PodManager;
import io.kubehop.kubelet.pod.PodRecord;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * {@code GET /pods}: a PodList of the pods this kubelet runs, each with the status it last
 * computed.
 */
public final class PodsRoute implements KubeletRoute {

  private final PodManager pods;

  public PodsRoute(PodManager pods) {
    this.pods = pods;
  }

  @Override
  public void handle(HttpServerRequest req, List<String> segments) {
    if (!Responses.requireGet(req)) {
      return;
    }
    if (!segments.isEmpty()) {
      Responses.text(req, 404, "404 page not found\n");
      return;
    }
    ObjectNode list = ApiJson.mapper().createObjectNode();
    list.put("kind", "PodList").put("apiVersion", "v1").putObject("metadata");
    ArrayNode items = list.putArray("items");
    for (PodRecord rec : pods.pods()) {
      ObjectNode pod = ((ObjectNode) rec.raw()).deepCopy();
      if (rec.currentStatus() != null) {
        pod.set("status", ApiJson.toTree(rec.currentStatus()));
      }
      items.add(pod);
    }
    req.response().putHeader("Content-Type", "application/json").end(ApiJson.write(list));
  }
}
