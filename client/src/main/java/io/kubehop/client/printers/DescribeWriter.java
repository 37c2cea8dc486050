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

  /** {@code DescribeEvents} for an empty list. */
  public void noEvents() {
    write(0, "Events:\t<none>\n");
  }

  /**
   * {@code DescribeEvents}: the object's events, oldest last seen first (a stable sort on
   * lastTimestamp, as kubectl's insertion sort is for short lists), each with its age, or {@code
   * AGE (xN over FIRST)} when it was seen more than once.
   */
  public void events(JsonNode list, Instant now) {
    List<JsonNode> events = new ArrayList<>();
    list.path("items").forEach(events::add);
    if (events.isEmpty()) {
      noEvents();
      return;
    }
    events.sort(java.util.Comparator.comparing(e -> instant(e.path("lastTimestamp"))));
    write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    write(1, "----\t------\t----\t----\t-------\n");
    for (JsonNode e : events) {
      String first =
          e.path("eventTime").asText("").isEmpty()
              ? since(e.path("firstTimestamp"), now)
              : since(e.path("eventTime"), now);
      String interval;
      if (e.path("series").isObject()) {
        interval =
            since(e.path("series").path("lastObservedTime"), now)
                + " (x"
                + e.path("series").path("count").asInt()
                + " over "
                + first
                + ")";
      } else if (e.path("count").asInt() > 1) {
        interval =
            since(e.path("lastTimestamp"), now)
                + " (x"
                + e.path("count").asInt()
                + " over "
                + first
                + ")";
      } else {
        interval = first;
      }
      String source = e.path("source").path("component").asText("");
      if (source.isEmpty()) {
        source = e.path("reportingComponent").asText("");
      }
      write(
          1,
          e.path("type").asText("")
              + "\t"
              + e.path("reason").asText("")
              + "\t"
              + interval
              + "\t"
              + source
              + "\t"
              + e.path("message").asText("").strip()
              + "\n");
    }
  }

  /** A time as an instant; the zero time (absent) sorts first, as Go's zero time does. */
  private static Instant instant(JsonNode timestamp) {
    String text = timestamp.asText("");
    return text.isEmpty() ? Instant.MIN : Instant.parse(text);
  }

  /**
   * {@code translateTimestampSince}: a human duration since the time, {@code <unknown>} without.
   */
  private static String since(JsonNode timestamp, Instant now) {
    String text = timestamp.asText("");
    if (text.isEmpty()) {
      return "<unknown>";
    }
    return io.kubehop.api.util.HumanDuration.format(
        java.time.Duration.between(Instant.parse(text), now));
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
