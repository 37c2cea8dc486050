package io.kubehop.streaming.fault;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A hop of the streaming path, named by its two ends. Each is applied by one tier, on its side of
 * the socket: {@code client-apiserver} and {@code apiserver-kubelet} by the apiserver (on the
 * client's connection, and on the one it dialled to the kubelet, or to the runtime in redirect
 * mode), {@code kubelet-runtime} by the kubelet (on the connection it dialled to the runtime).
 */
public enum Hop {
  CLIENT_APISERVER,
  APISERVER_KUBELET,
  KUBELET_RUNTIME;

  /** How the hop is written: {@code client-apiserver}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The hop written {@code label}; IllegalArgumentException naming the three otherwise. */
  public static Hop parse(String label) {
    for (Hop h : values()) {
      if (h.label().equals(label)) {
        return h;
      }
    }
    throw new IllegalArgumentException(
        "unknown hop \""
            + label
            + "\", one of: "
            + Arrays.stream(values()).map(Hop::label).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return label();
  }
}
