package io.kubehop.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.meta.StatusException;
import io.kubehop.apiserver.patch.JsonMergePatch;
import io.kubehop.apiserver.patch.JsonPatch;
import io.kubehop.apiserver.patch.StrategicMergePatch;
import java.util.Locale;

/** Applies a PATCH body according to its Content-Type. */
public final class Patches {

  private Patches() {
    throw new AssertionError("No instances.");
  }

  /** Returns the patched copy of {@code current}. */
  public static ObjectNode apply(String contentType, ObjectNode current, JsonNode patch) {
    String type =
        contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    JsonNode result =
        switch (type) {
          case "application/strategic-merge-patch+json" -> {
            if (!patch.isObject()) {
              throw StatusException.badRequest(
                  "json: cannot unmarshal "
                      + jsonType(patch)
                      + " into Go value of type map[string]interface {}");
            }
            yield StrategicMergePatch.apply(current, (ObjectNode) patch);
          }
          case "application/merge-patch+json" -> JsonMergePatch.apply(current, patch);
          case "application/json-patch+json" -> JsonPatch.apply(current, patch);
          default -> throw Bodies.unsupportedMediaType(contentType);
        };
    if (!(result instanceof ObjectNode o)) {
      throw StatusException.badRequest("the patched object is not a JSON object");
    }
    return o;
  }

  private static String jsonType(JsonNode n) {
    return n.isArray() ? "array" : n.isTextual() ? "string" : n.isNumber() ? "number" : "value";
  }
}
