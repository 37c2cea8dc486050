package io.kubehop.apiserver.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** Upstream's {@code printConfigMap}: NAME DATA AGE, DATA counting data and binaryData keys. */
public final class ConfigMapTable implements TableConvertor {

  @Override
  public List<Column> columns() {
    return List.of(Column.of("Name", 0), Column.of("Data", 0), Column.of("Age", 0));
  }

  @Override
  public List<Object> cells(ObjectNode cm, Instant now) {
    return List.of(
        cm.path("metadata").path("name").asText(),
        (long) (cm.path("data").size() + cm.path("binaryData").size()),
        TableBuilder.age(cm, now));
  }
}
