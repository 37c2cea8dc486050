package io.kubehop.client.cp;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The path arithmetic of kubectl's {@code cp/filespec.go}, done with Go's {@code path} semantics
 * (always {@code /}), so that the prefix kubectl strips from member names and the names it computes
 * for the destination are the same here. Local paths are POSIX too: kubehop's CLI runs on Linux and
 * macOS.
 */
public final class CpPaths {

  private CpPaths() {}

  /** Go's {@code path.Clean}: one separator, no {@code .}, {@code ..} resolved lexically. */
  public static String clean(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean rooted = path.startsWith("/");
    Deque<String> out = new ArrayDeque<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!out.isEmpty() && !out.peekLast().equals("..")) {
          out.removeLast();
        } else if (!rooted) {
          out.addLast("..");
        }
        continue;
      }
      out.addLast(part);
    }
    String joined = String.join("/", out);
    if (rooted) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }

  /** Go's {@code path.Join}: the non-empty elements joined by {@code /}, then cleaned. */
  public static String join(String first, String second) {
    if (first.isEmpty()) {
      return second.isEmpty() ? "" : clean(second);
    }
    return second.isEmpty() ? clean(first) : clean(first + "/" + second);
  }

  /** Go's {@code path.Dir}. */
  public static String dir(String path) {
    int slash = path.lastIndexOf('/');
    return clean(path.substring(0, slash + 1));
  }

  /** Go's {@code path.Base}. */
  public static String base(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    String p = path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.equals("/")) {
      return "/";
    }
    return p.substring(p.lastIndexOf('/') + 1);
  }

  /** kubectl's {@code stripTrailingSlash}: one trailing slash, never the root's. */
  public static String stripTrailingSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /** kubectl's {@code stripLeadingSlash}: every leading slash, as tar strips them. */
  public static String stripLeadingSlash(String path) {
    int i = 0;
    while (i < path.length() && (path.charAt(i) == '/' || path.charAt(i) == '\\')) {
      i++;
    }
    return path.substring(i);
  }

  /**
   * kubectl's {@code stripPathShortcuts}: leading {@code ../} elements, a lone {@code .} or {@code
   * ..}, and then one leading slash removed.
   */
  public static String stripPathShortcuts(String path) {
    String p = path;
    while (p.startsWith("../")) {
      p = p.substring(3);
    }
    if (p.equals(".") || p.equals("..")) {
      p = "";
    }
    return p.startsWith("/") ? p.substring(1) : p;
  }

  /**
   * The prefix every member of {@code tar cf - SRC} starts with, which kubectl strips: SRC without
   * its leading slashes (tar removes them), cleaned, without leading {@code ../}.
   */
  public static String memberPrefix(String remoteSource) {
    return stripPathShortcuts(clean(stripTrailingSlash(stripLeadingSlash(remoteSource))));
  }

  /** Go's {@code %q} of a string, as kubectl's warnings quote paths. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    s.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                  if (c < 0x20 || c == 0x7f) {
                    b.append(String.format("\\x%02x", c));
                  } else {
                    b.appendCodePoint(c);
                  }
                }
              }
            });
    return b.append('"').toString();
  }
}
