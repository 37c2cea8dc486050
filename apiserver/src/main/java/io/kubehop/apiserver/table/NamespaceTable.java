package io.kubehop.apiserver.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** The namespace columns of upstream's {@code printNamespace}: NAME STATUS AGE. */
public final class NamespaceTable implements TableConvertor {

  @Override
  public List<Column> columns() {
    return List.of(Column.of("Name", 0), Column.of("Status", 0), Column.of("Age", 0));
  }

  @Override
  public List<Object> cells(ObjectNode ns, Instant now) {
    return List.of(
        ns.path("metadata").path("name").asText(),
        ns.path("status").path("phase").asText(""),
        TableBuilder.age(ns, now));
  }
}
