package io.kubehop.client.rest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A URL query encoded exactly like Go's {@code url.Values.Encode()}: keys sorted, values in
 * insertion order, {@code QueryEscape} escaping (space becomes {@code +}). Matching it keeps our
 * requests identical to kubectl's.
 */
public final class Query {

  private final Map<String, List<String>> values = new TreeMap<>();

  public static Query of() {
    return new Query();
  }

  public Query add(String key, String value) {
    values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    return this;
  }

  /** Adds the pair only when {@code value} is non-null and non-empty. */
  public Query addIfPresent(String key, String value) {
    return value == null || value.isEmpty() ? this : add(key, value);
  }

  /** {@code ?k=v&…}, or the empty string for an empty query. */
  public String encode() {
    StringBuilder out = new StringBuilder();
    values.forEach(
        (k, vs) ->
            vs.forEach(
                v ->
                    out.append(out.length() == 0 ? '?' : '&')
                        .append(escape(k))
                        .append('=')
                        .append(escape(v))));
    return out.toString();
  }

  /** Go's {@code url.QueryEscape}. */
  public static String escape(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append((char) c);
      } else if (c == ' ') {
        out.append('+');
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return out.toString();
  }

  /** Go's {@code url.PathEscape} for one path segment (a resource name). */
  public static String escapePath(String s) {
    return escape(s).replace("+", "%20");
  }
}
