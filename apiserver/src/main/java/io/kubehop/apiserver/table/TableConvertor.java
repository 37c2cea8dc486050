package io.kubehop.apiserver.table;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * Renders objects as {@code meta.k8s.io/v1} Table rows, like upstream's printers for {@code kubectl
 * get}.
 */
public interface TableConvertor {

  /** A column: priority 0 is always shown, 1 only with {@code -o wide}. */
  record Column(String name, String type, String format, String description, int priority) {
    public static Column of(String name, int priority) {
      return new Column(name, "string", name.equals("Name") ? "name" : "", "", priority);
    }
  }

  List<Column> columns();

  /** The cells of one row, in column order (strings or numbers). */
  List<Object> cells(ObjectNode object, Instant now);

  /** Row conditions (e.g. a completed pod's), or null. */
  default ArrayNode conditions(ObjectNode object) {
    return null;
  }
}
