package io.kubehop.client.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.client.printers.GoJson;

/**
 * The {@code kubectl.kubernetes.io/last-applied-configuration} annotation, as kubectl's {@code
 * GetModifiedConfiguration} builds it: the applied object without that annotation (an empty {@code
 * annotations: {}} stays), marshalled by Go ({@code runtime.Encode}: sorted keys, compact, one
 * trailing newline).
 */
public final class LastApplied {

  public static final String ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

  private LastApplied() {
    throw new AssertionError("No instances.");
  }

  /** The annotation value for {@code applied}. */
  public static String of(JsonNode applied) {
    ObjectNode copy = applied.deepCopy();
    ObjectNode metadata = copy.withObject("/metadata");
    ObjectNode annotations =
        metadata.has("annotations") && metadata.get("annotations").isObject()
            ? (ObjectNode) metadata.get("annotations")
            : metadata.putObject("annotations");
    annotations.remove(ANNOTATION);
    return GoJson.compact(copy) + "\n";
  }

  /**
   * A copy of {@code applied} carrying its last-applied annotation: what apply creates or patches
   * towards.
   */
  public static ObjectNode annotate(JsonNode applied) {
    String value = of(applied);
    ObjectNode copy = applied.deepCopy();
    ObjectNode metadata = copy.withObject("/metadata");
    ObjectNode annotations =
        metadata.has("annotations") && metadata.get("annotations").isObject()
            ? (ObjectNode) metadata.get("annotations")
            : metadata.putObject("annotations");
    annotations.put(ANNOTATION, value);
    return copy;
  }

  /** The annotation of a live object, or null. */
  public static String from(JsonNode live) {
    JsonNode value = live.path("metadata").path("annotations").path(ANNOTATION);
    return value.isTextual() ? value.asText() : null;
  }
}
