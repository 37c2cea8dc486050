package io.kubehop.capture;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The head of an HTTP/1.1 request or response: the start line and the header lines, in order,
 * repeated names kept (kubectl sends {@code X-Stream-Protocol-Version} once per offered protocol).
 */
record HttpHead(String startLine, List<Header> headers) {

  record Header(String name, String value) {}

  /**
   * The index just past the blank line that ends a head in {@code b[0, length)}, or -1 if it has
   * not arrived.
   */
  static int end(byte[] b, int length) {
    for (int i = 3; i < length; i++) {
      if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
        return i + 1;
      }
    }
    return -1;
  }

  /** Parses {@code b[0, end)}, a head including its blank line. */
  static HttpHead parse(byte[] b, int end) {
    String[] lines = new String(b, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    List<Header> headers = new ArrayList<>();
    for (String line : Arrays.asList(lines).subList(Math.min(1, lines.length), lines.length)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.add(new Header(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
      }
    }
    return new HttpHead(lines.length == 0 ? "" : lines[0], List.copyOf(headers));
  }

  /**
   * Every value of a header, by case-insensitive name, each header line's comma-separated entries
   * split.
   */
  List<String> values(String name) {
    List<String> values = new ArrayList<>();
    for (Header h : headers) {
      if (h.name().equalsIgnoreCase(name)) {
        for (String v : h.value().split(",")) {
          if (!v.isBlank()) {
            values.add(v.trim());
          }
        }
      }
    }
    return values;
  }

  /** The first line of a header as sent, commas and all, or {@code ""}. */
  String line(String name) {
    return headers.stream()
        .filter(h -> h.name().equalsIgnoreCase(name))
        .map(Header::value)
        .findFirst()
        .orElse("");
  }

  /** The first value of a header, or {@code ""}. */
  String value(String name) {
    List<String> values = values(name);
    return values.isEmpty() ? "" : values.get(0);
  }

  /**
   * A request asking to switch protocols: {@code Connection} lists {@code upgrade} and {@code
   * Upgrade} is set.
   */
  boolean isUpgradeRequest() {
    return values("Connection").stream().anyMatch(v -> v.equalsIgnoreCase("upgrade"))
        && !value("Upgrade").isEmpty();
  }

  String method() {
    return startLine.split(" ")[0];
  }

  /** The request target, query included. */
  String target() {
    String[] parts = startLine.split(" ");
    return parts.length > 1 ? parts[1] : "";
  }

  /** The request path, without the query. */
  String path() {
    String target = target();
    int query = target.indexOf('?');
    return query < 0 ? target : target.substring(0, query);
  }

  /** A response's status code, or -1 if the start line is no status line. */
  int status() {
    String[] parts = startLine.split(" ");
    if (parts.length < 2 || !parts[0].toUpperCase(Locale.ROOT).startsWith("HTTP/")) {
      return -1;
    }
    try {
      return Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
