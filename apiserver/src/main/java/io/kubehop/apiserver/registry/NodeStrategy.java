package io.kubehop.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.meta.StatusCause;
import io.kubehop.apiserver.table.NodeTable;
import io.kubehop.apiserver.table.TableConvertor;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Nodes: cluster-scoped; the kubelet registers them with their status, and heartbeats via {@code
 * /status}.
 */
public final class NodeStrategy implements ResourceStrategy {

  private final TableConvertor table = new NodeTable();

  @Override
  public ResourceType type() {
    return ResourceType.NODES;
  }

  @Override
  public void prepareForCreate(ObjectNode node) {
    Meta.metadata(node).remove("namespace");
    if (!node.has("spec")) {
      node.putObject("spec");
    }
  }

  @Override
  public List<StatusCause> validate(ObjectNode node) {
    return ObjectMetaDefaults.validate(node, false);
  }

  @Override
  public void prepareForUpdate(ObjectNode updated, ObjectNode old) {
    ObjectMetaDefaults.keepSystemFields(updated, old);
    if (old.has("status")) {
      updated.set("status", old.get("status"));
    }
  }

  @Override
  public Map<String, String> selectableFields(ObjectNode node) {
    return Map.of(
        "metadata.name",
        node.path("metadata").path("name").asText(""),
        "spec.unschedulable",
        Boolean.toString(node.path("spec").path("unschedulable").asBoolean(false)));
  }

  @Override
  public Set<String> selectableFieldNames() {
    return Set.of("metadata.name", "spec.unschedulable");
  }

  @Override
  public TableConvertor table() {
    return table;
  }
}
