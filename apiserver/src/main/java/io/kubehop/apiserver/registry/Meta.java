package io.kubehop.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** Accessors for {@code metadata} of objects kept as Jackson trees. */
public final class Meta {

  private Meta() {
    throw new AssertionError("No instances.");
  }

  public static ObjectNode metadata(ObjectNode obj) {
    JsonNode m = obj.get("metadata");
    if (m instanceof ObjectNode o) {
      return o;
    }
    return obj.putObject("metadata");
  }

  public static String name(ObjectNode obj) {
    return text(obj.path("metadata").get("name"));
  }

  public static String namespace(ObjectNode obj) {
    return text(obj.path("metadata").get("namespace"));
  }

  public static String resourceVersion(ObjectNode obj) {
    return text(obj.path("metadata").get("resourceVersion"));
  }

  public static Map<String, String> labels(ObjectNode obj) {
    Map<String, String> labels = new LinkedHashMap<>();
    obj.path("metadata")
        .path("labels")
        .fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  /** A string field, or null when absent or JSON null. */
  public static String text(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
  }
}
