package io.kubehop.kubelet.streaming;

import io.kubehop.streaming.remotecommand.StreamOptions;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stream options of an exec/attach request to the kubelet. The kubelet-style names ({@code
 * input}, {@code output}, {@code error}, {@code tty}) count only when exactly {@code 1}, as
 * upstream's {@code NewOptions}; the apiserver-style names ({@code stdin}, {@code stdout}, {@code
 * stderr}) and {@code tty} also count when Go's {@code strconv.ParseBool} reads them as true, so
 * that a client may talk to the kubelet directly with the query it would send the apiserver. Either
 * spelling switches a stream on. Names are case-sensitive and a repeated flag counts by its first
 * value, as Go's {@code FormValue} reads them.
 */
public final class StreamQuery {

  /** The values {@code strconv.ParseBool} accepts as true. */
  private static final Set<String> GO_TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");

  private StreamQuery() {
    throw new AssertionError("No instances.");
  }

  /**
   * A raw query ({@code command=ls&output=1}, or null), decoded as Go's {@code url.ParseQuery}
   * does: case-sensitive names (unlike Vert.x's {@code params()}), {@code +} is a space, and a pair
   * that does not decode (a bad {@code %} escape, a {@code ;}) is skipped instead of failing the
   * request.
   */
  public static Map<String, List<String>> decode(String rawQuery) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (rawQuery == null) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty() || pair.contains(";")) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name;
      String value;
      try {
        name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        continue; // skipped, as ParseQuery skips it (and reports an error nobody reads)
      }
      query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return query;
  }

  /**
   * @param query the decoded query ({@link #decode(String)})
   * @throws IllegalArgumentException with {@link StreamOptions#AT_LEAST_ONE} when no stream is
   *     requested (400)
   */
  public static StreamOptions parse(Map<String, List<String>> query) {
    boolean tty = goTrue(query, "tty");
    boolean stdin = kubeletFlag(query, "input") || goTrue(query, "stdin");
    boolean stdout = kubeletFlag(query, "output") || goTrue(query, "stdout");
    // With a tty the terminal merges stderr into stdout; upstream drops the flag silently.
    boolean stderr = (kubeletFlag(query, "error") || goTrue(query, "stderr")) && !tty;
    return new StreamOptions(stdin, stdout, stderr, tty).validated();
  }

  private static boolean kubeletFlag(Map<String, List<String>> query, String name) {
    return "1".equals(first(query, name));
  }

  private static boolean goTrue(Map<String, List<String>> query, String name) {
    String value = first(query, name);
    return value != null && GO_TRUE.contains(value);
  }

  private static String first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
