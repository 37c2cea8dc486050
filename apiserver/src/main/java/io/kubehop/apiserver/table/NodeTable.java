package io.kubehop.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The node columns of upstream's {@code printNode}. */
public final class NodeTable implements TableConvertor {

  private static final List<Column> COLUMNS =
      List.of(
          Column.of("Name", 0),
          Column.of("Status", 0),
          Column.of("Roles", 0),
          Column.of("Age", 0),
          Column.of("Version", 0),
          Column.of("Internal-IP", 1),
          Column.of("External-IP", 1),
          Column.of("OS-Image", 1),
          Column.of("Kernel-Version", 1),
          Column.of("Container-Runtime", 1));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode node, Instant now) {
    JsonNode status = node.path("status");
    JsonNode info = status.path("nodeInfo");
    List<Object> cells = new ArrayList<>();
    cells.add(node.path("metadata").path("name").asText());
    cells.add(status(node));
    cells.add(roles(node));
    cells.add(TableBuilder.age(node, now));
    cells.add(info.path("kubeletVersion").asText(""));
    cells.add(address(status, "InternalIP"));
    cells.add(address(status, "ExternalIP"));
    cells.add(orUnknown(info.path("osImage").asText("")));
    cells.add(orUnknown(info.path("kernelVersion").asText("")));
    cells.add(orUnknown(info.path("containerRuntimeVersion").asText("")));
    return cells;
  }

  /**
   * {@code Ready}, {@code NotReady} or {@code Unknown}, plus {@code SchedulingDisabled} when
   * cordoned.
   */
  static String status(ObjectNode node) {
    List<String> parts = new ArrayList<>();
    for (JsonNode c : node.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        parts.add(c.path("status").asText().equals("True") ? "Ready" : "NotReady");
      }
    }
    if (parts.isEmpty()) {
      parts.add("Unknown");
    }
    if (node.path("spec").path("unschedulable").asBoolean(false)) {
      parts.add("SchedulingDisabled");
    }
    return String.join(",", parts);
  }

  private static String roles(ObjectNode node) {
    TreeSet<String> roles = new TreeSet<>();
    node.path("metadata")
        .path("labels")
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getKey().startsWith("node-role.kubernetes.io/")) {
                String role = e.getKey().substring("node-role.kubernetes.io/".length());
                if (!role.isEmpty()) {
                  roles.add(role);
                }
              } else if (e.getKey().equals("kubernetes.io/role")
                  && !e.getValue().asText().isEmpty()) {
                roles.add(e.getValue().asText());
              }
            });
    return roles.isEmpty() ? "<none>" : String.join(",", roles);
  }

  private static String address(JsonNode status, String type) {
    for (JsonNode a : status.path("addresses")) {
      if (a.path("type").asText().equals(type)) {
        return a.path("address").asText();
      }
    }
    return "<none>";
  }

  private static String orUnknown(String s) {
    return s.isEmpty() ? "<unknown>" : s;
  }
}
