package io.kubehop.client.printers;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * kubectl describe's {@code PrefixWriter} and the helpers every describer shares ({@code
 * printLabelsMultiline}, {@code printAnnotationsMultiline}, {@code DescribeEvents}): text with
 * {@code \t} cell ends, indented by level, aligned at the end by a {@link TabWriter} configured as
 * describe's {@code tabbedString}.
 */
public final class DescribeWriter {

  /** Go's {@code time.RFC1123Z}, in the local zone as metav1.Time decodes it. */
  private static final DateTimeFormatter RFC1123Z =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US)
          .withZone(ZoneId.systemDefault());

  /** Annotations longer than this are folded ({@code maxAnnotationLen}). */
  private static final int MAX_ANNOTATION_LEN = 140;

  private final StringBuilder text = new StringBuilder();

  /** Appends {@code s} indented by {@code level} (two spaces each), like {@code w.Write}. */
  public DescribeWriter write(int level, String s) {
    text.append("  ".repeat(level)).append(s);
    return this;
  }

  /** {@code w.WriteLine}: the values and a line end, not indented. */
  public DescribeWriter line(String s) {
    text.append(s).append('\n');
    return this;
  }

  /** Aligns and prints everything written. */
  public void printTo(PrintStream out) {
    TabWriter writer = TabWriter.forDescribe(out);
    writer.write(text.toString());
    writer.flush();
  }

  /** A timestamp field as kubectl prints it ({@code RFC1123Z}). */
  public static String time(JsonNode timestamp) {
    String text = timestamp.asText("");
    return text.isEmpty() ? "<unset>" : RFC1123Z.format(Instant.parse(text));
  }

  /** {@code printLabelsMultiline}: sorted {@code key=value} lines under a title. */
  public void labels(String title, JsonNode labels) {
    write(0, title + ":\t");
    List<String> keys = sortedKeys(labels, null);
    if (keys.isEmpty()) {
      line("<none>");
      return;
    }
    for (int i = 0; i < keys.size(); i++) {
      if (i != 0) {
        write(0, "\t");
      }
      write(0, keys.get(i) + "=" + labels.path(keys.get(i)).asText() + "\n");
    }
  }

  /** {@code printAnnotationsMultiline}: like labels, {@code key: value}, long values folded. */
  public void annotations(String title, JsonNode annotations) {
    write(0, title + ":\t");
    List<String> keys = sortedKeys(annotations, "kubectl.kubernetes.io/last-applied-configuration");
    if (keys.isEmpty()) {
      line("<none>");
      return;
    }
    for (int i = 0; i < keys.size(); i++) {
      if (i != 0) {
        write(0, "\t");
      }
      String key = keys.get(i);
      String value = annotations.path(key).asText();
      if (value.endsWith("\n")) {
        value = value.substring(0, value.length() - 1);
      }
      if (value.length() + key.length() + 2 > MAX_ANNOTATION_LEN || value.contains("\n")) {
        write(0, key + ":\n");
        for (String s : value.split("\n", -1)) {
          String shown =
              s.length() > MAX_ANNOTATION_LEN - 2
                  ? s.substring(0, MAX_ANNOTATION_LEN - 2) + "..."
                  : s;
          write(0, "\t  " + shown + "\n");
        }
      } else {
        write(0, key + ": " + value + "\n");
      }
    }
  }

  /**
   * {@code DescribeEvents} for an empty list: kubehop's apiserver keeps no events, so there is
   * never a table to print.
   */
  public void noEvents() {
    write(0, "Events:\t<none>\n");
  }

  private static List<String> sortedKeys(JsonNode map, String skip) {
    List<String> keys = new ArrayList<>();
    map.fieldNames()
        .forEachRemaining(
            k -> {
              if (!k.equals(skip)) {
                keys.add(k);
              }
            });
    keys.sort(null);
    return keys;
  }
}
