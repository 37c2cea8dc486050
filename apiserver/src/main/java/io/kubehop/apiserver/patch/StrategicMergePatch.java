package io.kubehop.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.StatusException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code application/strategic-merge-patch+json}, as {@code
 * k8s.io/apimachinery/pkg/util/strategicpatch} applies it to the core types: maps merge recursively
 * and {@code null} deletes a key; lists with a patch merge key ({@link PatchMeta}) merge element by
 * element; other lists are replaced. Directives: {@code $patch: replace} and {@code $patch: delete}
 * on maps and list elements, {@code $retainKeys}, {@code $deleteFromPrimitiveList/<f>}; {@code
 * $setElementOrder/<f>} is accepted and ignored (order is kept from the original, new elements
 * appended).
 */
public final class StrategicMergePatch {

  private static final String DIRECTIVE = "$patch";
  private static final String RETAIN_KEYS = "$retainKeys";
  private static final String SET_ORDER = "$setElementOrder/";
  private static final String DELETE_FROM_PRIMITIVE = "$deleteFromPrimitiveList/";

  private StrategicMergePatch() {
    throw new AssertionError("No instances.");
  }

  /** Applies {@code patch} to a copy of {@code original}. */
  public static ObjectNode apply(ObjectNode original, ObjectNode patch) {
    JsonNode result = mergeMap(original.deepCopy(), patch, "");
    if (result == null) {
      return ApiJson.mapper().createObjectNode();
    }
    return (ObjectNode) result;
  }

  /** Returns the merged map, or null when the patch deletes it. */
  private static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, String path) {
    JsonNode directive = patch.get(DIRECTIVE);
    if (directive != null) {
      String d = directive.asText();
      if (d.equals("delete")) {
        return null;
      }
      if (d.equals("replace")) {
        ObjectNode copy = patch.deepCopy();
        copy.remove(DIRECTIVE);
        return copy;
      }
      if (!d.equals("merge")) {
        throw StatusException.badRequest("Unknown patch type: " + d + " in map: " + patch);
      }
    }
    List<String> retain = null;
    Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (key.equals(DIRECTIVE) || key.startsWith(SET_ORDER)) {
        continue;
      }
      if (key.equals(RETAIN_KEYS)) {
        retain = new ArrayList<>();
        for (JsonNode k : value) {
          retain.add(k.asText());
        }
        continue;
      }
      if (key.startsWith(DELETE_FROM_PRIMITIVE)) {
        deleteFromPrimitiveList(original, key.substring(DELETE_FROM_PRIMITIVE.length()), value);
        continue;
      }
      String childPath = path.isEmpty() ? key : path + "." + key;
      if (value.isNull()) {
        original.remove(key);
      } else if (value.isObject() && original.get(key) instanceof ObjectNode o) {
        ObjectNode merged = mergeMap(o, (ObjectNode) value, childPath);
        if (merged == null) {
          original.remove(key);
        } else {
          original.set(key, merged);
        }
      } else if (value.isObject()) {
        ObjectNode fresh =
            mergeMap(ApiJson.mapper().createObjectNode(), (ObjectNode) value, childPath);
        if (fresh != null) {
          original.set(key, fresh);
        }
      } else if (value.isArray() && original.get(key) instanceof ArrayNode a) {
        original.set(key, mergeList(a, (ArrayNode) value, childPath));
      } else if (value.isArray()) {
        original.set(
            key, mergeList(ApiJson.mapper().createArrayNode(), (ArrayNode) value, childPath));
      } else {
        original.set(key, value.deepCopy());
      }
    }
    if (retain != null) {
      original.retain(retain);
    }
    return original;
  }

  private static void deleteFromPrimitiveList(ObjectNode original, String field, JsonNode values) {
    if (!(original.get(field) instanceof ArrayNode list)) {
      return;
    }
    Set<JsonNode> drop = new HashSet<>();
    values.forEach(drop::add);
    ArrayNode kept = ApiJson.mapper().createArrayNode();
    list.forEach(
        v -> {
          if (!drop.contains(v)) {
            kept.add(v);
          }
        });
    original.set(field, kept);
  }

  private static ArrayNode mergeList(ArrayNode original, ArrayNode patch, String path) {
    for (JsonNode p : patch) {
      if (p.isObject() && "replace".equals(p.path(DIRECTIVE).asText(null))) {
        ArrayNode replaced = ApiJson.mapper().createArrayNode();
        for (JsonNode q : patch) {
          if (!(q.isObject() && q.has(DIRECTIVE))) {
            replaced.add(strip(q));
          }
        }
        return replaced;
      }
    }
    String mergeKey = PatchMeta.mergeKey(path);
    if (mergeKey != null) {
      return mergeByKey(original, patch, path, mergeKey);
    }
    if (PatchMeta.mergesScalars(path)) {
      ArrayNode union = original.deepCopy();
      Set<JsonNode> seen = new HashSet<>();
      original.forEach(seen::add);
      for (JsonNode p : patch) {
        if (seen.add(p)) {
          union.add(p);
        }
      }
      return union;
    }
    ArrayNode replaced = ApiJson.mapper().createArrayNode();
    patch.forEach(p -> replaced.add(strip(p)));
    return replaced;
  }

  private static ArrayNode mergeByKey(
      ArrayNode original, ArrayNode patch, String path, String mergeKey) {
    ArrayNode result = original.deepCopy();
    for (JsonNode p : patch) {
      if (!p.isObject()) {
        throw StatusException.badRequest("merging an object in json but data type is not map");
      }
      JsonNode keyValue = p.get(mergeKey);
      if (keyValue == null) {
        throw StatusException.badRequest(
            "map: " + p + " does not contain declared merge key: " + mergeKey);
      }
      int index = indexOf(result, mergeKey, keyValue);
      boolean delete = "delete".equals(p.path(DIRECTIVE).asText(null));
      if (delete) {
        if (index >= 0) {
          result.remove(index);
        }
      } else if (index >= 0) {
        ObjectNode merged = mergeMap((ObjectNode) result.get(index), (ObjectNode) p, path);
        if (merged == null) {
          result.remove(index);
        } else {
          result.set(index, merged);
        }
      } else {
        ObjectNode fresh = mergeMap(ApiJson.mapper().createObjectNode(), (ObjectNode) p, path);
        if (fresh != null) {
          result.add(fresh);
        }
      }
    }
    return result;
  }

  private static int indexOf(ArrayNode list, String key, JsonNode value) {
    for (int i = 0; i < list.size(); i++) {
      if (value.equals(list.get(i).get(key))) {
        return i;
      }
    }
    return -1;
  }

  /** Removes directives from a value that is stored as is. */
  private static JsonNode strip(JsonNode node) {
    if (node instanceof ObjectNode o) {
      ObjectNode c = o.deepCopy();
      c.remove(DIRECTIVE);
      return c;
    }
    return node;
  }
}
