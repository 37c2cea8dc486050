package io.kubehop.client.printers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.util.HumanDuration;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * {@code -o json}, {@code -o yaml} and {@code -o name}, as kubectl prints objects; plus the
 * NAME/AGE Table kubectl builds itself when a server answers a Table request with plain objects.
 */
public final class ObjectPrinter {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String format;
  private final PrintStream out;
  private int printed;

  /**
   * @param format {@code json}, {@code yaml} or {@code name}
   */
  public ObjectPrinter(String format, PrintStream out) {
    this.format = format;
    this.out = out;
  }

  public static boolean supports(String format) {
    return List.of("json", "yaml", "name").contains(format);
  }

  public void print(JsonNode object) {
    switch (format) {
      case "json" -> out.print(GoJson.indent(object) + "\n");
      case "yaml" -> out.print((printed > 0 ? "---\n" : "") + GoYaml.write(object));
      default -> {
        if (object.has("items")) {
          object.path("items").forEach(this::print);
          return;
        }
        out.println(
            object.path("kind").asText().toLowerCase(Locale.ROOT)
                + "/"
                + object.path("metadata").path("name").asText());
      }
    }
    printed++;
    out.flush();
  }

  /**
   * kubectl's {@code List} wrapper for several objects: {@code kind: List}, empty resourceVersion,
   * and each item carrying the {@code apiVersion}/{@code kind} a typed list leaves out.
   */
  public static ObjectNode list(List<JsonNode> items, String itemKind) {
    ObjectNode list = NODES.objectNode();
    list.put("apiVersion", "v1");
    ArrayNode array = list.putArray("items");
    for (JsonNode item : items) {
      ObjectNode copy = item.deepCopy();
      if (!copy.has("apiVersion")) {
        copy.put("apiVersion", "v1");
      }
      if (!copy.has("kind")) {
        copy.put("kind", itemKind);
      }
      array.add(copy);
    }
    list.put("kind", "List");
    list.putObject("metadata").put("resourceVersion", "");
    return list;
  }

  /**
   * A Table of NAME and AGE for a list or a single object, as kubectl prints objects without server
   * columns.
   */
  public static ObjectNode nameAgeTable(JsonNode listOrObject, Instant now) {
    ObjectNode table = NODES.objectNode();
    table.put("kind", "Table");
    table.set("metadata", listOrObject.path("metadata").deepCopy());
    ArrayNode columns = table.putArray("columnDefinitions");
    columns
        .addObject()
        .put("name", "Name")
        .put("type", "string")
        .put("format", "name")
        .put("priority", 0);
    columns.addObject().put("name", "Age").put("type", "string").put("priority", 0);
    ArrayNode rows = table.putArray("rows");
    Iterable<JsonNode> items =
        listOrObject.has("items") ? listOrObject.path("items") : List.of(listOrObject);
    for (JsonNode item : items) {
      ObjectNode row = rows.addObject();
      row.putArray("cells").add(item.path("metadata").path("name").asText()).add(age(item, now));
      row.putObject("object").set("metadata", item.path("metadata").deepCopy());
    }
    return table;
  }

  private static String age(JsonNode item, Instant now) {
    try {
      Instant created = Instant.parse(item.path("metadata").path("creationTimestamp").asText());
      return HumanDuration.format(Duration.between(created, now));
    } catch (DateTimeParseException e) {
      return "<unknown>";
    }
  }
}
