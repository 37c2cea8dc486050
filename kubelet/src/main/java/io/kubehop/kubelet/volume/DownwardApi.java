package io.kubehop.kubelet.volume;

import io.kubehop.api.core.Pod;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The values of the downward API's {@code fieldRef}s a volume supports, formatted as upstream. */
public final class DownwardApi {

  private DownwardApi() {
    throw new AssertionError("No instances.");
  }

  /** {@code metadata.labels['key']} or {@code metadata.annotations['key']}. */
  private static final Pattern SUBSCRIPT =
      Pattern.compile("metadata\\.(labels|annotations)\\['(.*)'\\]");

  /** The value of {@code fieldPath} for {@code pod}, as the file's text. */
  public static String fieldValue(Pod pod, String fieldPath) throws VolumeException {
    Map<String, String> labels = orEmpty(pod.metadata().labels());
    Map<String, String> annotations = orEmpty(pod.metadata().annotations());
    String path = fieldPath == null ? "" : fieldPath;
    Matcher m = SUBSCRIPT.matcher(path);
    if (m.matches()) {
      Map<String, String> map = m.group(1).equals("labels") ? labels : annotations;
      // A missing key reads as an empty file, as upstream.
      return map.getOrDefault(m.group(2), "");
    }
    return switch (path) {
      case "metadata.labels" -> formatMap(labels);
      case "metadata.annotations" -> formatMap(annotations);
      case "metadata.name" -> nz(pod.metadata().name());
      case "metadata.namespace" -> nz(pod.metadata().namespace());
      case "metadata.uid" -> nz(pod.metadata().uid());
      default -> throw new VolumeException("unsupported fieldPath: " + path);
    };
  }

  /**
   * One {@code key="value"} line per entry, keys sorted, values quoted as Go's {@code %q} does, no
   * newline after the last line: upstream's {@code fieldpath.FormatMap}.
   */
  public static String formatMap(Map<String, String> map) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
      if (!b.isEmpty()) {
        b.append('\n');
      }
      b.append(e.getKey()).append('=').append(goQuote(e.getValue()));
    }
    return b.toString();
  }

  /** Go's {@code strconv.Quote} of a (valid UTF-16) string. */
  static String goQuote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    s.codePoints()
        .forEach(
            cp -> {
              switch (cp) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case 0x07 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 0x0b -> b.append("\\v");
                default -> {
                  if (cp < ' ' || cp == 0x7f) {
                    b.append(String.format("\\x%02x", cp));
                  } else if (isGoPrint(cp)) {
                    b.appendCodePoint(cp);
                  } else if (cp < 0x10000) {
                    b.append(String.format("\\u%04x", cp));
                  } else {
                    b.append(String.format("\\U%08x", cp));
                  }
                }
              }
            });
    return b.append('"').toString();
  }

  /**
   * Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII
   * space; not the other spaces, controls, formats, surrogates, private use or unassigned.
   */
  private static boolean isGoPrint(int cp) {
    if (cp == ' ') {
      return true;
    }
    return switch (Character.getType(cp)) {
      case Character.SPACE_SEPARATOR,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.CONTROL,
          Character.FORMAT,
          Character.SURROGATE,
          Character.PRIVATE_USE,
          Character.UNASSIGNED ->
          false;
      default -> true;
    };
  }

  private static Map<String, String> orEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
