package io.kubehop.kubelet.pod;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.core.PodStatus;
import io.kubehop.api.json.ApiJson;
import io.kubehop.kubelet.apiserver.ApiClient;
import io.vertx.core.Future;

/**
 * Writes a pod's status with {@code PUT …/pods/{name}/status}, only when it differs from what was
 * last written. The body is the pod as last seen with the new status and without resourceVersion
 * (an unconditional update: the kubelet owns the status).
 */
final class PodStatusReporter {

  private final ApiClient api;

  PodStatusReporter(ApiClient api) {
    this.api = api;
  }

  ApiClient api() {
    return api;
  }

  Future<Void> report(PodRecord rec, PodStatus status) {
    if (rec.terminating() || status.equals(rec.lastReported)) {
      return Future.succeededFuture();
    }
    ObjectNode body = ((ObjectNode) rec.raw()).deepCopy();
    body.set("status", ApiJson.toTree(status));
    if (body.get("metadata") instanceof ObjectNode meta) {
      meta.remove("resourceVersion");
    }
    String path =
        "/api/v1/namespaces/" + rec.pod().namespace() + "/pods/" + rec.pod().name() + "/status";
    return api.put(path, body)
        .compose(
            resp -> {
              if (resp.ok() || resp.status() == 404) {
                rec.lastReported = status;
                return Future.succeededFuture();
              }
              return Future.failedFuture(
                  "update status of pod "
                      + rec.pod().name()
                      + ": HTTP "
                      + resp.status()
                      + " "
                      + resp.body());
            });
  }
}
