package io.kubehop.streaming.httpstream;

import io.kubehop.streaming.transport.UpgradeHeaders;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Checks on upgrade requests, with upstream's texts. */
public final class UpgradeRequests {

  private UpgradeRequests() {
    throw new AssertionError("No instances.");
  }

  /**
   * {@code Connection} lists {@code upgrade} ({@code httpstream.IsUpgradeRequest}; see {@link
   * UpgradeHeaders}).
   */
  public static boolean isUpgrade(MultiMap headers) {
    return UpgradeHeaders.isUpgrade(headers::getAll);
  }

  /** {@link #isUpgrade} and {@code Upgrade} lists {@code SPDY/3.1}. */
  public static boolean isSpdyUpgrade(MultiMap headers) {
    return UpgradeHeaders.isUpgradeTo(headers::getAll, UpgradeHeaders.SPDY_31);
  }

  /**
   * {@link #isUpgrade} and {@code Upgrade} lists {@code websocket} ({@code
   * wsstream.IsWebSocketRequest}).
   */
  public static boolean isWebSocket(MultiMap headers) {
    return UpgradeHeaders.isUpgradeTo(headers::getAll, UpgradeHeaders.WEBSOCKET);
  }

  /**
   * The 400 body for a request lacking the SPDY upgrade headers: {@code unable to upgrade: missing
   * upgrade headers in request: http.Header{"Accept":[]string{"*\/*"}, …}} (Go's {@code %#v} of the
   * request headers, canonical names, sorted; Go keeps {@code Host} out of the map).
   */
  public static String missingUpgradeHeadersMessage(MultiMap headers) {
    Map<String, List<String>> sorted = new TreeMap<>();
    for (Map.Entry<String, String> e : headers) {
      String name = canonical(e.getKey());
      if (!name.equals("Host")) {
        sorted.computeIfAbsent(name, k -> new ArrayList<>()).add(e.getValue());
      }
    }
    StringBuilder b =
        new StringBuilder("unable to upgrade: missing upgrade headers in request: http.Header{");
    boolean first = true;
    for (Map.Entry<String, List<String>> e : sorted.entrySet()) {
      if (!first) {
        b.append(", ");
      }
      first = false;
      b.append('"').append(e.getKey()).append("\":[]string{");
      for (int i = 0; i < e.getValue().size(); i++) {
        b.append(i == 0 ? "" : ", ").append('"').append(goEscape(e.getValue().get(i))).append('"');
      }
      b.append('}');
    }
    return b.append('}').toString();
  }

  /**
   * Go's {@code textproto.CanonicalMIMEHeaderKey}: {@code x-stream-protocol-version} → {@code
   * X-Stream-Protocol-Version}.
   */
  static String canonical(String name) {
    StringBuilder b = new StringBuilder(name.length());
    boolean upper = true;
    for (char c : name.toCharArray()) {
      b.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
      upper = c == '-';
    }
    return b.toString();
  }

  private static String goEscape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
