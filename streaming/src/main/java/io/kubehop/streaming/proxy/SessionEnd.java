package io.kubehop.streaming.proxy;

import java.time.Instant;

/**
 * How a streaming session ended, as the tier that holds its hop saw it: which side's connection
 * ended first, and how. Recorded once, at the first end; tearing down the other side comes after.
 *
 * @param first the side whose connection ended first
 * @param how how that connection ended
 * @param at when
 */
public record SessionEnd(Side first, How how, Instant at) {

  /** The sides of a hop, seen from the tier that holds it. */
  public enum Side {
    /** The previous tier, or the user's client (kubectl, the kubehop CLI). */
    CLIENT,
    /** The next tier this one dialled: the kubelet seen from the apiserver, the runtime from it. */
    BACKEND,
    /** This tier ended the session itself: an operator's close, its own shutdown. */
    SELF
  }

  /** How a connection ended. */
  public enum How {
    /** An orderly end: TCP FIN, a WebSocket close frame, a SPDY GOAWAY. */
    CLOSED,
    /** An error on the connection, e.g. TCP RST ({@code connection reset by peer}). */
    RESET,
    /** Nothing moved on it for the idle timeout. */
    TIMEOUT
  }
}
