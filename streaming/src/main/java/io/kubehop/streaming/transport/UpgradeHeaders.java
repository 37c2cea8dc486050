package io.kubehop.streaming.transport;

import java.util.List;
import java.util.function.Function;

/**
 * The {@code Connection} and {@code Upgrade} headers of an HTTP/1.1 upgrade, and the one check of
 * them that every tier and both directions use (requests and 101 responses; over Vert.x's and
 * Netty's headers alike): {@code Connection} lists the token {@code upgrade}, and {@code Upgrade}
 * lists the protocol. Both are comma-separated token lists (RFC 9110 §7.6.1, §7.8), matched
 * case-insensitively over every line of the header; so {@code Connection: keep-alive, Upgrade}
 * counts, and {@code Connection: upgraded} does not. (Upstream looks for substrings of the first
 * line; every client it talks to sends tokens.)
 *
 * <p>It sits in {@code transport} because {@link PostUpgrades} asks it before Vert.x sees the
 * request; {@code httpstream.UpgradeRequests} offers it for Vert.x headers.
 */
public final class UpgradeHeaders {

  public static final String CONNECTION = "Connection";
  public static final String UPGRADE = "Upgrade";

  /** {@code Upgrade} value of a SPDY upgrade ({@code HeaderSpdy31}). */
  public static final String SPDY_31 = "SPDY/3.1";

  /** {@code Upgrade} value of a WebSocket handshake. */
  public static final String WEBSOCKET = "websocket";

  private UpgradeHeaders() {
    throw new AssertionError("No instances.");
  }

  /**
   * {@code Connection} lists {@code upgrade}.
   *
   * @param headers every value of a header, by name ({@code MultiMap::getAll}, Netty's {@code
   *     HttpHeaders::getAll})
   */
  public static boolean isUpgrade(Function<String, List<String>> headers) {
    return lists(headers.apply(CONNECTION), "upgrade");
  }

  /**
   * {@link #isUpgrade} and {@code Upgrade} lists {@code protocol}, e.g. {@link #SPDY_31} or {@link
   * #WEBSOCKET}.
   */
  public static boolean isUpgradeTo(Function<String, List<String>> headers, String protocol) {
    return isUpgrade(headers) && lists(headers.apply(UPGRADE), protocol);
  }

  private static boolean lists(List<String> values, String token) {
    for (String value : values) {
      for (String listed : value.split(",")) {
        if (listed.trim().equalsIgnoreCase(token)) {
          return true;
        }
      }
    }
    return false;
  }
}
