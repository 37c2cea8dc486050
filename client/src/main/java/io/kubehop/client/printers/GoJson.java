package io.kubehop.client.printers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON written the way Go's {@code encoding/json} writes a decoded (unstructured) object: map keys
 * sorted, HTML characters escaped as {@code \u003c}, integral numbers without a fraction. {@link
 * #indent} is kubectl's {@code -o json} ({@code MarshalIndent} with four spaces); {@link #compact}
 * is {@code json.Marshal}, used for the last-applied annotation and patches.
 */
public final class GoJson {

  private GoJson() {
    throw new AssertionError("No instances.");
  }

  public static String indent(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out, "    ", 0);
    return out.toString();
  }

  public static String compact(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out, null, 0);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out, String indent, int depth) {
    if (node.isObject()) {
      if (node.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, JsonNode> field : sortedFields(node)) {
        out.append(first ? "" : ",");
        first = false;
        newline(out, indent, depth + 1);
        quote(field.getKey(), out);
        out.append(indent == null ? ":" : ": ");
        write(field.getValue(), out, indent, depth + 1);
      }
      newline(out, indent, depth);
      out.append('}');
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        out.append(i == 0 ? "" : ",");
        newline(out, indent, depth + 1);
        write(node.get(i), out, indent, depth + 1);
      }
      newline(out, indent, depth);
      out.append(']');
    } else if (node.isTextual()) {
      quote(node.asText(), out);
    } else if (node.isNumber()) {
      out.append(GoNumbers.json(node));
    } else {
      out.append(node.toString());
    }
  }

  /** Go sorts map keys by their bytes; for the BMP this is Java's String order. */
  static List<Map.Entry<String, JsonNode>> sortedFields(JsonNode node) {
    List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      fields.add(it.next());
    }
    fields.sort(Map.Entry.comparingByKey());
    return fields;
  }

  private static void newline(StringBuilder out, String indent, int depth) {
    if (indent != null) {
      out.append('\n').append(indent.repeat(depth));
    }
  }

  static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
