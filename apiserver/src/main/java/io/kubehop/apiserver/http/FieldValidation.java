package io.kubehop.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.meta.StatusException;
import io.kubehop.apiserver.registry.FieldSchema;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * Server-side field validation ({@code ?fieldValidation=Strict|Warn|Ignore}, default Warn as
 * upstream): Strict rejects unknown fields with upstream's strict decoding error, Warn reports them
 * in {@code Warning} headers.
 */
public final class FieldValidation {

  private FieldValidation() {
    throw new AssertionError("No instances.");
  }

  /**
   * Checks {@code object} of {@code kind}; Strict throws a 400, Warn adds headers to {@code resp}.
   */
  public static void check(ApiRequest req, String kind, JsonNode object, HttpServerResponse resp) {
    String directive = req.param("fieldValidation");
    if (directive == null || directive.isEmpty()) {
      directive = "Warn";
    }
    if (!directive.equals("Strict") && !directive.equals("Warn") && !directive.equals("Ignore")) {
      throw StatusException.badRequest(
          "fieldValidation parameter unsupported: "
              + directive
              + ": valid values are \"Strict\", \"Warn\" and \"Ignore\"");
    }
    if (directive.equals("Ignore")) {
      return;
    }
    List<String> unknown = FieldSchema.unknownFields(kind, object);
    if (unknown.isEmpty()) {
      return;
    }
    if (directive.equals("Strict")) {
      StringBuilder sb =
          new StringBuilder(kind)
              .append(" in version \"v1\" cannot be handled as a ")
              .append(kind)
              .append(": strict decoding error: ");
      for (int i = 0; i < unknown.size(); i++) {
        sb.append(i > 0 ? ", " : "").append("unknown field \"").append(unknown.get(i)).append('"');
      }
      throw StatusException.badRequest(sb.toString());
    }
    for (String field : unknown) {
      resp.headers().add("Warning", "299 - \"unknown field \\\"" + field + "\\\"\"");
    }
  }
}
