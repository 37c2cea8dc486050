package io.kubehop.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.meta.StatusCause;
import io.kubehop.apiserver.table.NamespaceTable;
import io.kubehop.apiserver.table.TableConvertor;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Namespaces: {@code status.phase: Active}; deletion removes them at once (no namespace controller
 * here).
 */
public final class NamespaceStrategy implements ResourceStrategy {

  private final TableConvertor table = new NamespaceTable();

  @Override
  public ResourceType type() {
    return ResourceType.NAMESPACES;
  }

  @Override
  public void prepareForCreate(ObjectNode ns) {
    Meta.metadata(ns).remove("namespace");
    ObjectNode spec = ns.putObject("spec");
    spec.putArray("finalizers").add("kubernetes");
    ns.putObject("status").put("phase", "Active");
    Meta.metadata(ns)
        .withObjectProperty("labels")
        .put("kubernetes.io/metadata.name", Meta.name(ns));
  }

  @Override
  public List<StatusCause> validate(ObjectNode ns) {
    return ObjectMetaDefaults.validate(ns, true);
  }

  @Override
  public void prepareForUpdate(ObjectNode updated, ObjectNode old) {
    ObjectMetaDefaults.keepSystemFields(updated, old);
    updated.set("status", old.get("status"));
  }

  @Override
  public Map<String, String> selectableFields(ObjectNode ns) {
    return Map.of(
        "metadata.name",
        ns.path("metadata").path("name").asText(""),
        "status.phase",
        ns.path("status").path("phase").asText(""));
  }

  @Override
  public Set<String> selectableFieldNames() {
    return Set.of("metadata.name", "status.phase");
  }

  @Override
  public TableConvertor table() {
    return table;
  }
}
