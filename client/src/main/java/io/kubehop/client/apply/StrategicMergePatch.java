package io.kubehop.client.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A simplified {@code strategicpatch.CreateThreeWayMergePatch} for core/v1 objects, without
 * OpenAPI: additions and changes come from comparing the live object with the new one (so apply
 * also reverts drift), deletions ({@code null}, {@code $patch: delete}) from comparing the
 * last-applied configuration with the new one. Lists with a patch merge key (containers by {@code
 * name}, ports by {@code containerPort}, …) are merged item by item and carry a {@code
 * $setElementOrder/<list>} directive, as kubectl sends; other lists are replaced.
 */
public final class StrategicMergePatch {

  /** The patchMergeKey of core/v1's merged lists, by field name. */
  private static final Map<String, String> MERGE_KEYS =
      Map.of(
          "containers", "name",
          "initContainers", "name",
          "ephemeralContainers", "name",
          "env", "name",
          "volumes", "name",
          "volumeMounts", "mountPath",
          "imagePullSecrets", "name",
          "ports", "containerPort");

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private StrategicMergePatch() {
    throw new AssertionError("No instances.");
  }

  /**
   * @param original the last-applied configuration, or null when the live object has none
   * @param modified the new configuration (with its new last-applied annotation)
   * @param current the live object
   * @return the patch; empty when nothing changes
   */
  public static ObjectNode threeWay(JsonNode original, JsonNode modified, JsonNode current) {
    return diffMaps(orEmpty(original), modified, orEmpty(current));
  }

  private static ObjectNode diffMaps(JsonNode original, JsonNode modified, JsonNode current) {
    ObjectNode patch = NODES.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = modified.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      JsonNode mod = field.getValue();
      JsonNode cur = current.get(key);
      JsonNode orig = original.get(key);
      if (cur != null && cur.isObject() && mod.isObject()) {
        ObjectNode sub = diffMaps(orEmpty(orig), mod, cur);
        if (!sub.isEmpty()) {
          patch.set(key, sub);
        }
      } else if (cur != null
          && cur.isArray()
          && mod.isArray()
          && MERGE_KEYS.containsKey(key)
          && allObjects(mod)
          && allObjects(cur)) {
        diffMergingList(
            key,
            MERGE_KEYS.get(key),
            orig != null && orig.isArray() ? orig : NODES.arrayNode(),
            mod,
            cur,
            patch);
      } else if (!equal(cur, mod)) {
        patch.set(key, mod.deepCopy());
      }
    }
    for (Iterator<String> it = original.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!modified.has(key)) {
        patch.putNull(key);
      }
    }
    return patch;
  }

  private static void diffMergingList(
      String key,
      String mergeKey,
      JsonNode original,
      JsonNode modified,
      JsonNode current,
      ObjectNode patch) {
    Map<JsonNode, JsonNode> originalItems = byKey(original, mergeKey);
    Map<JsonNode, JsonNode> currentItems = byKey(current, mergeKey);
    Map<JsonNode, JsonNode> modifiedItems = byKey(modified, mergeKey);
    ArrayNode items = NODES.arrayNode();
    for (JsonNode mod : modified) {
      JsonNode id = mod.get(mergeKey);
      JsonNode cur = currentItems.get(id);
      if (cur == null) {
        items.add(mod.deepCopy());
        continue;
      }
      ObjectNode sub = diffMaps(orEmpty(originalItems.get(id)), mod, cur);
      if (!sub.isEmpty()) {
        ObjectNode item = NODES.objectNode();
        item.set(mergeKey, id);
        item.setAll(sub);
        items.add(item);
      }
    }
    for (JsonNode orig : original) {
      JsonNode id = orig.get(mergeKey);
      if (id != null && !modifiedItems.containsKey(id)) {
        items.addObject().put("$patch", "delete").set(mergeKey, id);
      }
    }
    if (!items.isEmpty() || !sameOrder(current, modified, mergeKey)) {
      ArrayNode order = patch.putArray("$setElementOrder/" + key);
      modified.forEach(m -> order.addObject().set(mergeKey, m.get(mergeKey)));
    }
    if (!items.isEmpty()) {
      patch.set(key, items);
    }
  }

  /** Whether the items both lists share come in the same order. */
  private static boolean sameOrder(JsonNode current, JsonNode modified, String mergeKey) {
    Map<JsonNode, JsonNode> inModified = byKey(modified, mergeKey);
    Map<JsonNode, JsonNode> inCurrent = byKey(current, mergeKey);
    List<JsonNode> a = new ArrayList<>();
    current.forEach(
        c -> {
          if (inModified.containsKey(c.get(mergeKey))) {
            a.add(c.get(mergeKey));
          }
        });
    List<JsonNode> b = new ArrayList<>();
    modified.forEach(
        m -> {
          if (inCurrent.containsKey(m.get(mergeKey))) {
            b.add(m.get(mergeKey));
          }
        });
    return a.equals(b);
  }

  private static Map<JsonNode, JsonNode> byKey(JsonNode list, String mergeKey) {
    Map<JsonNode, JsonNode> items = new LinkedHashMap<>();
    list.forEach(
        item -> {
          if (item.has(mergeKey)) {
            items.put(item.get(mergeKey), item);
          }
        });
    return items;
  }

  private static boolean allObjects(JsonNode list) {
    for (JsonNode item : list) {
      if (!item.isObject()) {
        return false;
      }
    }
    return true;
  }

  /** JSON equality where {@code 1} equals {@code 1} whatever Java type Jackson chose for it. */
  private static boolean equal(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return Objects.equals(a, b);
  }

  private static JsonNode orEmpty(JsonNode node) {
    return node == null || !node.isObject() ? NODES.objectNode() : node;
  }
}
