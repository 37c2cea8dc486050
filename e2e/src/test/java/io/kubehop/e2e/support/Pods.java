package io.kubehop.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.json.ApiJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads pods and nodes straight from the apiserver, for assertions that must not depend on a
 * printer.
 */
public final class Pods {

  private final KubehopCluster cluster;

  public Pods(KubehopCluster cluster) {
    this.cluster = cluster;
  }

  public Optional<JsonNode> pod(String name) {
    return object("/api/v1/namespaces/default/pods/" + name);
  }

  public Optional<JsonNode> node(String name) {
    return object("/api/v1/nodes/" + name);
  }

  public Optional<JsonNode> object(String path) {
    HttpResponse<String> response = cluster.get(path);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "GET " + path + " -> " + response.statusCode() + ": " + response.body());
    }
    return Optional.of(tree(response.body()));
  }

  public static JsonNode tree(String json) {
    try {
      return ApiJson.tree(json.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value of the node's Ready condition ("True", "False", "Unknown"), or null. */
  public String nodeReady(String name) {
    return node(name)
        .map(
            n -> {
              for (JsonNode c : n.path("status").path("conditions")) {
                if ("Ready".equals(c.path("type").asText())) {
                  return c.path("status").asText();
                }
              }
              return null;
            })
        .orElse(null);
  }

  /** {@code .status.containerStatuses[0]} of a pod, or a missing node. */
  public JsonNode firstContainerStatus(String pod) {
    return pod(pod).map(p -> p.path("status").path("containerStatuses").path(0)).orElseThrow();
  }
}
