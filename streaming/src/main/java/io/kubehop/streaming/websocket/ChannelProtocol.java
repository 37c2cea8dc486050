package io.kubehop.streaming.websocket;

import java.util.List;
import java.util.Optional;

/**
 * The {@code channel.k8s.io} WebSocket subprotocols of exec and attach (apimachinery {@code
 * wsstream}, kubelet {@code remotecommand/websocket.go}): the subprotocol name, whether messages
 * are raw bytes or base64 text, and which version of the channel protocol they are (the
 * remotecommand layer maps it to what that version can do: plain-text or JSON status, resize, the
 * v5 CLOSE signal).
 *
 * <p>No subprotocol at all ({@code ""}) is binary {@code channel.k8s.io}.
 */
public enum ChannelProtocol {
  /**
   * {@code channel.k8s.io}: binary, plain-text errors. Also what a request without any subprotocol
   * gets.
   */
  CHANNEL("channel.k8s.io", false, 1),
  /** {@code v2.channel.k8s.io}: binary. */
  V2("v2.channel.k8s.io", false, 2),
  /** {@code v3.channel.k8s.io}: binary, resize on channel 4. */
  V3("v3.channel.k8s.io", false, 3),
  /** {@code v4.channel.k8s.io}: binary, JSON Status on channel 3. */
  V4("v4.channel.k8s.io", false, 4),
  /**
   * {@code v5.channel.k8s.io}: as v4 plus the CLOSE signal {@code [0xFF, channel]}; binary only.
   */
  V5("v5.channel.k8s.io", false, 5),
  /**
   * {@code base64.channel.k8s.io}: text messages {@code '0'+channel} + base64, plain-text errors.
   */
  BASE64("base64.channel.k8s.io", true, 1),
  /** {@code v4.base64.channel.k8s.io}: base64 text, JSON Status on channel 3. */
  V4_BASE64("v4.base64.channel.k8s.io", true, 4);

  /** Every protocol a kubehop WebSocket exec/attach server accepts. */
  public static final List<ChannelProtocol> SERVER_DEFAULT = List.of(values());

  private final String wireName;
  private final boolean base64;
  private final int version;

  ChannelProtocol(String wireName, boolean base64, int version) {
    this.wireName = wireName;
    this.base64 = base64;
    this.version = version;
  }

  /** The subprotocol name in {@code Sec-WebSocket-Protocol}. */
  public String wireName() {
    return wireName;
  }

  /** Messages are text, {@code '0'+channel} followed by padded standard base64. */
  public boolean base64() {
    return base64;
  }

  /**
   * The protocol's version number, 1 to 5 ({@code channel.k8s.io} and {@code base64.channel.k8s.io}
   * are 1).
   */
  public int version() {
    return version;
  }

  /**
   * The v5 CLOSE signal {@code [0xFF, channel]} exists (exact match on {@code v5.channel.k8s.io}).
   */
  public boolean closeSignal() {
    return this == V5;
  }

  /** The protocol named {@code name}, compared exactly (as upstream does). */
  public static Optional<ChannelProtocol> fromWireName(String name) {
    for (ChannelProtocol p : values()) {
      if (p.wireName.equals(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * The first of the client's {@code offers} (client order wins) that {@code supported} contains.
   */
  public static Optional<ChannelProtocol> negotiate(
      List<String> offers, List<ChannelProtocol> supported) {
    for (String offer : offers) {
      Optional<ChannelProtocol> p = fromWireName(offer).filter(supported::contains);
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.empty();
  }
}
