package io.kubehop.client.stream;

import java.util.Locale;

/**
 * The wire form of a streaming command ({@code --transport}). {@link #AUTO} does what kubectl 1.30+
 * (exec, attach) and 1.31+ (port-forward) do: WebSocket first, SPDY/3.1 when the WebSocket upgrade
 * is refused.
 */
public enum Transport {
  AUTO,
  WEBSOCKET,
  SPDY;

  /** Parses the flag value, case-insensitively. */
  public static Transport parse(String value) {
    try {
      return valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid transport \"" + value + "\": must be one of auto, websocket, spdy");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
