package io.kubehop.apiserver.table;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.Times;
import io.kubehop.api.util.HumanDuration;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Assembles a {@code meta.k8s.io/v1} Table whose rows carry their object as PartialObjectMetadata.
 */
public final class TableBuilder {

  private TableBuilder() {
    throw new AssertionError("No instances.");
  }

  public static ObjectNode build(
      TableConvertor convertor, List<ObjectNode> objects, String resourceVersion, Instant now) {
    ObjectNode table = ApiJson.mapper().createObjectNode();
    table.put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    ObjectNode meta = table.putObject("metadata");
    if (resourceVersion != null) {
      meta.put("resourceVersion", resourceVersion);
    }
    ArrayNode cols = table.putArray("columnDefinitions");
    for (TableConvertor.Column c : convertor.columns()) {
      cols.addObject()
          .put("name", c.name())
          .put("type", c.type())
          .put("format", c.format())
          .put("description", c.description())
          .put("priority", c.priority());
    }
    ArrayNode rows = table.putArray("rows");
    for (ObjectNode o : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (Object cell : convertor.cells(o, now)) {
        if (cell instanceof Number n) {
          cells.add(n.longValue());
        } else {
          cells.add(String.valueOf(cell));
        }
      }
      ArrayNode conditions = convertor.conditions(o);
      if (conditions != null) {
        row.set("conditions", conditions);
      }
      ObjectNode partial = row.putObject("object");
      partial.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
      partial.set("metadata", o.path("metadata").deepCopy());
    }
    return table;
  }

  /** AGE of {@code creationTimestamp}, or {@code <unknown>} as kubectl prints a missing one. */
  public static String age(ObjectNode object, Instant now) {
    return since(object.path("metadata").path("creationTimestamp").asText(null), now);
  }

  /**
   * Upstream's {@code translateTimestampSince}: the human duration from an RFC 3339 time to now,
   * {@code <unknown>} for none (null, empty or unparsable).
   */
  public static String since(String ts, Instant now) {
    Instant t = parseOrNull(ts);
    return t == null ? "<unknown>" : HumanDuration.format(Duration.between(t, now));
  }

  /** An RFC 3339 time (metav1.Time or MicroTime), or null when absent or malformed. */
  public static Instant parseOrNull(String ts) {
    if (ts == null || ts.isEmpty()) {
      return null;
    }
    try {
      return Times.parse(ts);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
