package io.kubehop.streaming.proxy;

import java.util.Locale;

/**
 * Where a {@code v5.channel.k8s.io} WebSocket exec/attach becomes SPDY (KEP-4006). The kubelet →
 * runtime leg is SPDY in every mode; WebSocket upgrades with older subprotocols (v1–v4, base64: the
 * Python client, fabric8) are proxied as they come in every mode, as upstream does.
 */
public enum WebSocketTranslation {
  /**
   * 1.30+ ({@code TranslateStreamCloseWebsocketRequests}): the apiserver translates toward the
   * kubelet.
   */
  APISERVER,
  /**
   * 1.36 ({@code ExtendWebSocketsToKubelet}): the apiserver passes the WebSocket through to a
   * kubelet that advertises it in {@link #NODE_ANNOTATION}, and the kubelet translates; toward a
   * kubelet that does not, the apiserver does.
   */
  KUBELET,
  /**
   * Before 1.30: the apiserver refuses the v5 WebSocket upgrade, and kubectl falls back to SPDY.
   */
  OFF;

  /**
   * The node annotation in which a kubelet lists the streaming protocols it serves, e.g. {@code
   * spdy,websocket}.
   */
  public static final String NODE_ANNOTATION = "kubelet.kubernetes.io/streaming-protocols";

  /** What a translating kubelet writes into {@link #NODE_ANNOTATION}. */
  public static final String KUBELET_PROTOCOLS = "spdy,websocket";

  /** {@code apiserver}, {@code kubelet} or {@code off}, as on the command line. */
  public static WebSocketTranslation parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--websocket-translation must be apiserver, kubelet or off, not " + value);
    }
  }

  /**
   * Whether an annotation value (comma-separated, spaces, quotes and brackets tolerated) lists
   * {@code websocket}.
   */
  public static boolean listsWebSocket(String annotation) {
    if (annotation == null) {
      return false;
    }
    for (String entry : annotation.split(",")) {
      if (entry.replaceAll("[\\s\"'\\[\\]]", "").equalsIgnoreCase("websocket")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
