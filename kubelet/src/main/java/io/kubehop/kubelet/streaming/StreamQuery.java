package io.kubehop.kubelet.streaming;

import io.kubehop.streaming.remotecommand.StreamOptions;
import io.vertx.core.MultiMap;
import java.util.Set;

/**
 * The stream options of an exec/attach request to the kubelet. The kubelet-style names ({@code input},
 * {@code output}, {@code error}, {@code tty}) count only when exactly {@code 1}, as upstream's {@code NewOptions}; the
 * apiserver-style names ({@code stdin}, {@code stdout}, {@code stderr}) and {@code tty} also count when Go's
 * {@code strconv.ParseBool} reads them as true, so that a client may talk to the kubelet directly with the query it
 * would send the apiserver. Either spelling switches a stream on.
 */
public final class StreamQuery {

  /** The values {@code strconv.ParseBool} accepts as true. */
  private static final Set<String> GO_TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");

  private StreamQuery() {
    throw new AssertionError("No instances.");
  }

  /**
   * @throws IllegalArgumentException with {@link StreamOptions#AT_LEAST_ONE} when no stream is requested (400)
   */
  public static StreamOptions parse(MultiMap query) {
    boolean tty = GO_TRUE.contains(String.valueOf(query.get("tty")));
    boolean stdin = kubeletFlag(query, "input") || goTrue(query, "stdin");
    boolean stdout = kubeletFlag(query, "output") || goTrue(query, "stdout");
    // With a tty the terminal merges stderr into stdout; upstream drops the flag silently.
    boolean stderr = (kubeletFlag(query, "error") || goTrue(query, "stderr")) && !tty;
    return new StreamOptions(stdin, stdout, stderr, tty).validated();
  }

  private static boolean kubeletFlag(MultiMap query, String name) {
    return "1".equals(query.get(name));
  }

  private static boolean goTrue(MultiMap query, String name) {
    String value = query.get(name);
    return value != null && GO_TRUE.contains(value);
  }
}
