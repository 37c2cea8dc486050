package io.kubehop.streaming.remotecommand;

import io.kubehop.streaming.websocket.ChannelProtocol;
import java.util.List;
import java.util.Optional;

/**
 * The remotecommand sub-protocols of exec and attach ({@code X-Stream-Protocol-Version} / WebSocket
 * subprotocol), each adding one thing to the previous (apimachinery {@code
 * util/remotecommand/constants.go}).
 */
public enum StreamProtocol {
  /**
   * {@code channel.k8s.io}: unversioned, with known bugs (stdin is never half-closed); also the
   * {@code ""} fallback.
   */
  V1("channel.k8s.io"),
  /** {@code v2.channel.k8s.io}: stdin half-close works. */
  V2("v2.channel.k8s.io"),
  /** {@code v3.channel.k8s.io}: adds terminal resizing (a {@code resize} stream with tty). */
  V3("v3.channel.k8s.io"),
  /** {@code v4.channel.k8s.io}: adds exit codes (the error stream carries a JSON Status). */
  V4("v4.channel.k8s.io"),
  /** {@code v5.channel.k8s.io}: adds the WebSocket CLOSE signal; over SPDY it is exactly V4. */
  V5("v5.channel.k8s.io");

  /** What released kubelets and CRI streaming servers advertise over SPDY, in preference order. */
  public static final List<String> SPDY_SERVER_DEFAULT =
      List.of(V4.wireName(), V3.wireName(), V2.wireName(), V1.wireName());

  /** What client-go offers over SPDY since 1.29, in preference order. */
  public static final List<String> SPDY_CLIENT_DEFAULT =
      List.of(V5.wireName(), V4.wireName(), V3.wireName(), V2.wireName(), V1.wireName());

  private final String wireName;

  StreamProtocol(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** A {@code resize} stream exists (with tty). */
  public boolean supportsResize() {
    return compareTo(V3) >= 0;
  }

  /** The error stream carries a JSON {@code metav1.Status} rather than plain text. */
  public boolean jsonStatus() {
    return compareTo(V4) >= 0;
  }

  /** The WebSocket CLOSE signal {@code [0xFF, channel]} exists. */
  public boolean closeSignal() {
    return this == V5;
  }

  /**
   * The remotecommand version a WebSocket channel protocol carries (its version number, 1 to 5).
   */
  public static StreamProtocol of(ChannelProtocol channelProtocol) {
    return values()[channelProtocol.version() - 1];
  }

  /** The protocol for a negotiated name; {@code ""} (nothing negotiated) is V1. */
  public static Optional<StreamProtocol> fromWireName(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of(V1);
    }
    for (StreamProtocol p : values()) {
      if (p.wireName.equals(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
