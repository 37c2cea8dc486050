package io.kubehop.apiserver.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** Upstream's {@code printSecret}: NAME TYPE DATA AGE. */
public final class SecretTable implements TableConvertor {

  @Override
  public List<Column> columns() {
    return List.of(
        Column.of("Name", 0), Column.of("Type", 0), Column.of("Data", 0), Column.of("Age", 0));
  }

  @Override
  public List<Object> cells(ObjectNode secret, Instant now) {
    return List.of(
        secret.path("metadata").path("name").asText(),
        secret.path("type").asText(""),
        (long) secret.path("data").size(),
        TableBuilder.age(secret, now));
  }
}
