package io.kubehop.api.auth;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Upstream's static token file ({@code kube-apiserver --token-auth-file}): CSV lines of {@code
 * token,user,uid[,"group1,group2"]}, the groups column quoted because it holds commas itself. Blank
 * lines and lines starting with {@code #} are skipped. The one reader and writer of the format: the
 * apiserver reads it to authenticate, {@code kubehop pki} writes it and reads it back.
 */
public final class StaticTokenFile {

  private StaticTokenFile() {
    throw new AssertionError("No instances.");
  }

  /**
   * One line of the file.
   *
   * @param uid may be empty
   */
  public record Entry(String token, String user, String uid, List<String> groups) {

    public Entry {
      groups = List.copyOf(groups);
    }

    @Override
    public String toString() {
      // Never the token: this ends up in messages and logs.
      return "Entry[user=" + user + ", uid=" + uid + ", groups=" + groups + "]";
    }
  }

  /**
   * The entries of {@code lines}; a line without token, user and uid columns, or a token seen
   * before, is an {@link IllegalArgumentException} naming {@code source} and the line number (never
   * the token).
   */
  public static List<Entry> parse(List<String> lines, String source) {
    List<Entry> entries = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      List<String> fields = csv(line);
      if (fields.size() < 3 || fields.get(0).isEmpty() || fields.get(1).isEmpty()) {
        throw new IllegalArgumentException(
            source + ":" + (i + 1) + ": want at least 3 columns: token,user,uid");
      }
      if (!seen.add(fields.get(0))) {
        throw new IllegalArgumentException(source + ":" + (i + 1) + ": duplicate token");
      }
      List<String> groups = new ArrayList<>();
      if (fields.size() > 3) {
        for (String g : fields.get(3).split(",")) {
          if (!g.strip().isEmpty()) {
            groups.add(g.strip());
          }
        }
      }
      entries.add(new Entry(fields.get(0), fields.get(1), fields.get(2), groups));
    }
    return entries;
  }

  /** The file's text: one line per entry, the groups column quoted. */
  public static String format(List<Entry> entries) {
    StringBuilder out = new StringBuilder();
    for (Entry e : entries) {
      out.append(e.token())
          .append(',')
          .append(e.user())
          .append(',')
          .append(e.uid())
          .append(",\"")
          .append(String.join(",", e.groups()))
          .append("\"\n");
    }
    return out.toString();
  }

  /** One CSV record (RFC 4180 quoting, as Go's encoding/csv reads upstream's file). */
  static List<String> csv(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString().strip());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString().strip());
    return fields;
  }
}
