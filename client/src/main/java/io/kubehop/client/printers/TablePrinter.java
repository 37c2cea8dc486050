package io.kubehop.client.printers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * kubectl's human-readable printer for {@code meta.k8s.io/v1} Tables ({@code cli-runtime
 * printers.tablePrinter}: {@code decorateTable} + {@code printTable}). Headers are upper-cased,
 * priority-1 columns appear only when wide, {@code NAMESPACE} comes first with {@code -A}. It keeps
 * the last column definitions like kubectl does, so that watch events (Tables with one row and
 * possibly no column definitions) print without repeating the header.
 */
public final class TablePrinter {

  private final TabWriter writer;
  private final boolean wide;
  private final boolean withNamespace;
  private JsonNode lastColumns;
  private boolean printedHeaders;

  public TablePrinter(TabWriter writer, boolean wide, boolean withNamespace) {
    this.writer = writer;
    this.wide = wide;
    this.withNamespace = withNamespace;
  }

  /**
   * Prints a Table's rows (and the header when it is the first table with rows); call {@link
   * TabWriter#flush()}.
   */
  public void print(JsonNode table) {
    JsonNode given = table.path("columnDefinitions");
    boolean noHeaders = printedHeaders && (given.isEmpty() || given.equals(lastColumns));
    if (!given.isEmpty() && !given.equals(lastColumns)) {
      lastColumns = given;
      printedHeaders = false;
    }
    JsonNode columns = given.isEmpty() && lastColumns != null ? lastColumns : given;
    JsonNode rows = table.path("rows");
    if (!rows.isEmpty()) {
      printedHeaders = true;
    }
    List<Integer> visible = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      if (wide || columns.get(i).path("priority").asInt(0) == 0) {
        visible.add(i);
      }
    }
    if (!noHeaders) {
      if (rows.isEmpty()) {
        return;
      }
      List<String> headers = new ArrayList<>();
      if (withNamespace) {
        headers.add("NAMESPACE");
      }
      visible.forEach(
          i -> headers.add(columns.get(i).path("name").asText("").toUpperCase(Locale.ROOT)));
      writer.write(String.join("\t", headers)).write("\n");
    }
    for (JsonNode row : rows) {
      List<String> cells = new ArrayList<>();
      if (withNamespace) {
        cells.add(escape(row.path("object").path("metadata").path("namespace").asText("")));
      }
      JsonNode values = row.path("cells");
      for (int i : visible) {
        cells.add(i < values.size() ? cell(values.get(i)) : "");
      }
      writer.write(String.join("\t", cells)).write("\n");
    }
  }

  /**
   * Takes a Table's column definitions without printing anything, so that later tables without
   * definitions print with them (and with a header at their first row).
   */
  public void remember(JsonNode table) {
    JsonNode given = table.path("columnDefinitions");
    if (!given.isEmpty()) {
      lastColumns = given;
      printedHeaders = false;
    }
  }

  /**
   * One cell as Go's {@code fmt.Sprint} prints it; strings end at their first line break, marked
   * {@code ...}.
   */
  static String cell(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "";
    }
    if (value.isTextual()) {
      String text = value.asText();
      int cut = indexOfAny(text, "\f\n\r");
      return cut < 0 ? escape(text) : escape(text.substring(0, cut)) + "...";
    }
    if (value.isNumber()) {
      return GoNumbers.sprint(value);
    }
    return escape(value.toString());
  }

  private static int indexOfAny(String text, String chars) {
    for (int i = 0; i < text.length(); i++) {
      if (chars.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /** kubectl's {@code WriteEscaped}: no raw terminal escapes reach the terminal. */
  static String escape(String text) {
    return text.replace("\u001b", "^[").replace("\r", "\\r");
  }
}
