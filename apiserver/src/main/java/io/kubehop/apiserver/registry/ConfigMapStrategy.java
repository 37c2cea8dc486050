package io.kubehop.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.meta.StatusCause;
import io.kubehop.apiserver.table.ConfigMapTable;
import io.kubehop.apiserver.table.TableConvertor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ConfigMaps: no defaults; upstream's {@code ValidateConfigMap} and {@code ValidateConfigMapUpdate}
 * (pkg/apis/core/validation): valid keys, none in both {@code data} and {@code binaryData}, at most
 * 1 MiB in all, and nothing changes once {@code immutable} is true.
 */
public final class ConfigMapStrategy implements ResourceStrategy {

  private static final Set<String> FIELDS = Set.of("metadata.name", "metadata.namespace");

  private final TableConvertor table = new ConfigMapTable();

  @Override
  public ResourceType type() {
    return ResourceType.CONFIGMAPS;
  }

  @Override
  public void prepareForCreate(ObjectNode cm) {
    checkBinaryData(cm);
  }

  @Override
  public void prepareForUpdate(ObjectNode updated, ObjectNode old) {
    ObjectMetaDefaults.keepSystemFields(updated, old);
    checkBinaryData(updated);
  }

  /** binaryData is {@code map[string][]byte}: base64 that Go's decoder would accept. */
  private static void checkBinaryData(ObjectNode cm) {
    for (JsonNode v : cm.path("binaryData")) {
      DataValidation.base64Length("ConfigMap", v.asText(""));
    }
  }

  @Override
  public List<StatusCause> validate(ObjectNode cm) {
    List<StatusCause> causes = ObjectMetaDefaults.validate(cm, false);
    long total = 0;
    JsonNode binary = cm.path("binaryData");
    for (Iterator<Map.Entry<String, JsonNode>> it = cm.path("data").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      causes.addAll(DataValidation.key("data", e.getKey()));
      if (binary.has(e.getKey())) {
        causes.add(
            NameValidation.invalid(
                "data[" + e.getKey() + "]", e.getKey(), "duplicate of key present in binaryData"));
      }
      total += DataValidation.utf8Length(e.getValue().asText(""));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = binary.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      causes.addAll(DataValidation.key("binaryData", e.getKey()));
      total += DataValidation.base64Length("ConfigMap", e.getValue().asText(""));
    }
    if (total > DataValidation.MAX_SIZE) {
      // upstream passes an empty path: the error refers to the whole object
      causes.add(DataValidation.tooLong(""));
    }
    return causes;
  }

  @Override
  public List<StatusCause> validateUpdate(ObjectNode updated, ObjectNode old) {
    List<StatusCause> causes = new ArrayList<>();
    if (old.path("immutable").asBoolean(false)) {
      if (!updated.path("immutable").asBoolean(false)) {
        causes.add(DataValidation.forbidden("immutable", DataValidation.IMMUTABLE));
      }
      if (!DataValidation.same(updated.get("data"), old.get("data"))) {
        causes.add(DataValidation.forbidden("data", DataValidation.IMMUTABLE));
      }
      if (!DataValidation.same(updated.get("binaryData"), old.get("binaryData"))) {
        causes.add(DataValidation.forbidden("binaryData", DataValidation.IMMUTABLE));
      }
    }
    causes.addAll(validate(updated));
    return causes;
  }

  @Override
  public Map<String, String> selectableFields(ObjectNode cm) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("metadata.name", cm.path("metadata").path("name").asText(""));
    f.put("metadata.namespace", cm.path("metadata").path("namespace").asText(""));
    return f;
  }

  @Override
  public Set<String> selectableFieldNames() {
    return FIELDS;
  }

  @Override
  public TableConvertor table() {
    return table;
  }
}
