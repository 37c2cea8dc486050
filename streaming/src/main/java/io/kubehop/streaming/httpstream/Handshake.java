package io.kubehop.streaming.httpstream;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sub-protocol negotiation of a streaming upgrade (apimachinery {@code httpstream.Handshake}).
 *
 * <p>The client's order wins: the first protocol in the client's list that the server supports is
 * chosen. Offers may arrive as repeated {@code X-Stream-Protocol-Version} lines (client-go) or
 * comma-joined (newer servers accept both). A request without any offer gets the long-standing
 * Kubernetes 1.0 behaviour: negotiated protocol {@code ""}, which both sides treat as {@code
 * channel.k8s.io}.
 */
public final class Handshake {

  private Handshake() {
    throw new AssertionError("No instances.");
  }

  /** The outcome of {@link #handshake(MultiMap, List)}. */
  public sealed interface Result {
    /** Negotiated {@code protocol}; {@code ""} means no offer was made (v1 fallback). */
    record Accepted(String protocol) implements Result {}

    /**
     * No overlap: answer 403 with {@link #body()} and one accepted-versions header per {@link
     * #serverProtocols()}.
     */
    record Refused(List<String> clientProtocols, List<String> serverProtocols) implements Result {
      /**
       * {@code unable to upgrade: unable to negotiate protocol: client supports [a b], server
       * accepts [c d]\n}.
       */
      public String body() {
        return "unable to upgrade: unable to negotiate protocol: client supports "
            + goList(clientProtocols)
            + ", server accepts "
            + goList(serverProtocols)
            + "\n";
      }
    }
  }

  /** Negotiates against the request headers. */
  public static Result handshake(MultiMap requestHeaders, List<String> serverProtocols) {
    if (serverProtocols.isEmpty()) {
      throw new IllegalArgumentException("no server protocols");
    }
    List<String> offers = offers(requestHeaders);
    if (offers.isEmpty()) {
      return new Result.Accepted("");
    }
    return negotiate(offers, serverProtocols)
        .<Result>map(Result.Accepted::new)
        .orElseGet(() -> new Result.Refused(offers, serverProtocols));
  }

  /** The first of {@code clientProtocols} that {@code serverProtocols} contains. */
  public static Optional<String> negotiate(
      List<String> clientProtocols, List<String> serverProtocols) {
    for (String c : clientProtocols) {
      if (serverProtocols.contains(c)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /**
   * Every offered protocol, from repeated and comma-joined header values, trimmed, empty ones
   * dropped.
   */
  public static List<String> offers(MultiMap requestHeaders) {
    List<String> out = new ArrayList<>();
    for (String line : requestHeaders.getAll(StreamHeaders.PROTOCOL_VERSION)) {
      for (String p : line.split(",")) {
        String t = p.trim();
        if (!t.isEmpty()) {
          out.add(t);
        }
      }
    }
    return out;
  }

  /** Go's {@code %v} of a string slice: {@code [a b]}. */
  static String goList(List<String> items) {
    return "[" + String.join(" ", items) + "]";
  }
}
