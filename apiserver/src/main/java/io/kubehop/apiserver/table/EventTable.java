package io.kubehop.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Upstream's {@code printEvent} (pkg/printers/internalversion): LAST SEEN, TYPE, REASON, OBJECT,
 * MESSAGE, and with {@code -o wide} SUBOBJECT, SOURCE, FIRST SEEN, COUNT and NAME. FIRST SEEN is
 * firstTimestamp, else eventTime; LAST SEEN is the series' lastObservedTime, else lastTimestamp,
 * else FIRST SEEN; COUNT the series' count, else count, else 1; OBJECT {@code kind/name} in lower
 * case.
 */
public final class EventTable implements TableConvertor {

  private static final List<Column> COLUMNS =
      List.of(
          Column.of("Last Seen", 0),
          Column.of("Type", 0),
          Column.of("Reason", 0),
          Column.of("Object", 0),
          Column.of("Subobject", 1),
          Column.of("Source", 1),
          Column.of("Message", 0),
          Column.of("First Seen", 1),
          Column.of("Count", 1),
          Column.of("Name", 1));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode event, Instant now) {
    String first = TableBuilder.since(text(event, "firstTimestamp"), now);
    if (TableBuilder.parseOrNull(text(event, "firstTimestamp")) == null) {
      first = TableBuilder.since(text(event, "eventTime"), now);
    }
    String last = TableBuilder.since(text(event, "lastTimestamp"), now);
    if (TableBuilder.parseOrNull(text(event, "lastTimestamp")) == null) {
      last = first;
    }
    long count = event.path("count").asLong(0);
    JsonNode series = event.path("series");
    if (series.isObject()) {
      last = TableBuilder.since(series.path("lastObservedTime").asText(null), now);
      count = series.path("count").asLong(0);
    } else if (count == 0) {
      count = 1; // singleton events don't have a count set in the new API
    }
    JsonNode involved = event.path("involvedObject");
    String kind = involved.path("kind").asText("").toLowerCase(Locale.ROOT);
    String name = involved.path("name").asText("");
    String target = name.isEmpty() ? kind : kind + "/" + name;
    return List.of(
        last,
        event.path("type").asText(""),
        event.path("reason").asText(""),
        target,
        involved.path("fieldPath").asText(""),
        source(event),
        event.path("message").asText("").strip(),
        first,
        count,
        event.path("metadata").path("name").asText(""));
  }

  /** {@code formatEventSource}: component (else reportingComponent), then ", host" if any. */
  static String source(ObjectNode event) {
    String component = event.path("source").path("component").asText("");
    if (component.isEmpty()) {
      component = event.path("reportingComponent").asText("");
    }
    String host = event.path("source").path("host").asText("");
    if (host.isEmpty()) {
      host = event.path("reportingInstance").asText("");
    }
    return host.isEmpty() ? component : component + ", " + host;
  }

  private static String text(ObjectNode event, String field) {
    JsonNode n = event.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }
}
