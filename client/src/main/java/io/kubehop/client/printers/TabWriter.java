package io.kubehop.client.printers;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A port of Go's {@code text/tabwriter} as kubectl configures it ({@code printers.GetNewTabWriter}:
 * minwidth 6, padding 3, pad char ' ', left-aligned, {@code RememberWidths} from
 * liggitt/tabwriter). Cells end at {@code \t}, lines at {@code \n}; the last cell of a line is not
 * aligned. With remembered widths a column never shrinks between flushes, which keeps {@code get
 * -w} rows aligned with the header printed before them.
 *
 * <p>Not thread safe.
 */
public final class TabWriter {

  private final PrintStream out;
  private final int minWidth;
  private final int padding;
  private final boolean rememberWidths;
  private final StringBuilder pending = new StringBuilder();
  private final List<Integer> widths = new ArrayList<>();
  private final List<Integer> maxWidths = new ArrayList<>();
  private List<List<String>> lines;
  private StringBuilder output;

  /** kubectl's table printer: min width 6, padding 3, remembered widths. */
  public TabWriter(PrintStream out) {
    this(out, 6, 3, true);
  }

  /**
   * A writer as Go's {@code tabwriter.NewWriter(out, minWidth, 8, padding, ' ', 0)}; {@code
   * rememberWidths} keeps every column as wide as it ever was across flushes.
   */
  public TabWriter(PrintStream out, int minWidth, int padding, boolean rememberWidths) {
    this.out = out;
    this.minWidth = minWidth;
    this.padding = padding;
    this.rememberWidths = rememberWidths;
  }

  /** kubectl describe's writer ({@code tabbedString}: min width 0, padding 2). */
  public static TabWriter forDescribe(PrintStream out) {
    return new TabWriter(out, 0, 2, false);
  }

  public TabWriter write(String text) {
    pending.append(text);
    return this;
  }

  /** Formats and writes every complete line written so far. */
  public void flush() {
    int end = pending.lastIndexOf("\n");
    if (end < 0) {
      return;
    }
    lines = new ArrayList<>();
    for (String line : pending.substring(0, end).split("\n", -1)) {
      List<String> cells = new ArrayList<>(List.of(line.split("\t", -1)));
      lines.add(cells);
    }
    pending.delete(0, end + 1);
    output = new StringBuilder();
    widths.clear();
    format(0, lines.size());
    out.print(output);
    out.flush();
  }

  private void format(int line0, int line1) {
    int column = widths.size();
    for (int at = line0; at < line1; at++) {
      if (column >= lines.get(at).size() - 1) {
        continue;
      }
      writeLines(line0, at);
      line0 = at;
      int width = minWidth;
      for (; at < line1; at++) {
        List<String> line = lines.get(at);
        if (column >= line.size() - 1) {
          break;
        }
        width = Math.max(width, cellWidth(line.get(column)) + padding);
      }
      if (rememberWidths) {
        width = remembered(width);
      }
      widths.add(width);
      format(line0, at);
      widths.remove(widths.size() - 1);
      line0 = at;
    }
    writeLines(line0, line1);
  }

  /** liggitt/tabwriter's RememberWidths: a column is as wide as it ever was. */
  private int remembered(int width) {
    if (maxWidths.size() < widths.size()) {
      maxWidths.addAll(widths.subList(maxWidths.size(), widths.size()));
    }
    int column = widths.size();
    if (maxWidths.size() == column) {
      maxWidths.add(width);
      return width;
    }
    if (maxWidths.get(column) > width) {
      return maxWidths.get(column);
    }
    maxWidths.set(column, width);
    return width;
  }

  private void writeLines(int line0, int line1) {
    for (int i = line0; i < line1; i++) {
      List<String> line = lines.get(i);
      for (int j = 0; j < line.size(); j++) {
        String cell = line.get(j);
        output.append(cell);
        if (j < widths.size()) {
          output.append(" ".repeat(Math.max(0, widths.get(j) - cellWidth(cell))));
        }
      }
      output.append('\n');
    }
  }

  private static int cellWidth(String cell) {
    return cell.codePointCount(0, cell.length());
  }
}
