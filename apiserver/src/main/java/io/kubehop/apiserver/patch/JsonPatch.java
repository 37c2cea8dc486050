package io.kubehop.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.meta.StatusException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code application/json-patch+json}: RFC 6902 JSON Patch (add, remove, replace, move, copy,
 * test).
 */
public final class JsonPatch {

  private JsonPatch() {
    throw new AssertionError("No instances.");
  }

  public static JsonNode apply(JsonNode document, JsonNode patch) {
    if (!patch.isArray()) {
      throw StatusException.badRequest(
          "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
    }
    JsonNode doc = document.deepCopy();
    for (JsonNode op : patch) {
      String kind = op.path("op").asText();
      String path = op.path("path").asText(null);
      if (path == null) {
        throw StatusException.badRequest("missing path in json patch operation " + op);
      }
      doc =
          switch (kind) {
            case "add" -> add(doc, path, value(op));
            case "remove" -> remove(doc, path);
            case "replace" -> add(remove(doc, path), path, value(op));
            case "move" -> {
              String from = op.path("from").asText();
              JsonNode v = get(doc, from);
              yield add(remove(doc, from), path, v);
            }
            case "copy" -> add(doc, path, get(doc, op.path("from").asText()).deepCopy());
            case "test" -> {
              if (!get(doc, path).equals(op.get("value"))) {
                throw StatusException.badRequest("testing value " + path + " failed: test failed");
              }
              yield doc;
            }
            default -> throw StatusException.badRequest("Unexpected kind: " + kind);
          };
    }
    return doc;
  }

  private static JsonNode value(JsonNode op) {
    if (!op.has("value")) {
      throw StatusException.badRequest("missing value in json patch operation " + op);
    }
    return op.get("value").deepCopy();
  }

  private static List<String> tokens(String pointer) {
    List<String> out = new ArrayList<>();
    if (pointer.isEmpty()) {
      return out;
    }
    if (!pointer.startsWith("/")) {
      throw StatusException.badRequest("invalid JSON pointer " + pointer);
    }
    for (String t : pointer.substring(1).split("/", -1)) {
      out.add(t.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  private static JsonNode get(JsonNode doc, String pointer) {
    JsonNode n = doc;
    for (String t : tokens(pointer)) {
      n = child(n, t, pointer);
    }
    return n;
  }

  private static JsonNode child(JsonNode n, String token, String pointer) {
    JsonNode c =
        n.isArray()
            ? (token.matches("\\d+") ? n.get(Integer.parseInt(token)) : null)
            : n.get(token);
    if (c == null) {
      throw StatusException.badRequest(
          "the server rejected our request due to an error in our request: "
              + "doc is missing path: \""
              + pointer
              + "\"");
    }
    return c;
  }

  private static JsonNode add(JsonNode doc, String pointer, JsonNode value) {
    List<String> t = tokens(pointer);
    if (t.isEmpty()) {
      return value;
    }
    JsonNode parent = doc;
    for (String token : t.subList(0, t.size() - 1)) {
      parent = child(parent, token, pointer);
    }
    String last = t.get(t.size() - 1);
    if (parent instanceof ObjectNode o) {
      o.set(last, value);
    } else if (parent instanceof ArrayNode a) {
      if (last.equals("-")) {
        a.add(value);
      } else if (last.matches("\\d+") && Integer.parseInt(last) <= a.size()) {
        a.insert(Integer.parseInt(last), value);
      } else {
        throw StatusException.badRequest(
            "add operation does not apply: doc is missing path: \"" + pointer + "\"");
      }
    } else {
      throw StatusException.badRequest(
          "add operation does not apply: doc is missing path: \"" + pointer + "\"");
    }
    return doc;
  }

  private static JsonNode remove(JsonNode doc, String pointer) {
    List<String> t = tokens(pointer);
    JsonNode parent = doc;
    for (String token : t.subList(0, t.size() - 1)) {
      parent = child(parent, token, pointer);
    }
    String last = t.get(t.size() - 1);
    child(parent, last, pointer);
    if (parent instanceof ObjectNode o) {
      o.remove(last);
    } else {
      ((ArrayNode) parent).remove(Integer.parseInt(last));
    }
    return doc;
  }
}
