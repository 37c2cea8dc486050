package io.kubehop.streaming.spdy.frame;

/**
 * GOAWAY status codes (SPDY/3.1 §2.6.6), as Netty's {@code SpdySessionStatus}: the defined codes are constants, and
 * a code the spec does not define decodes to an {@linkplain #isKnown() unknown} status that keeps its number. A
 * GOAWAY is a GOAWAY whatever its status: the peer is leaving (spdystream does not look at the status either).
 */
public final class GoAwayStatus {

  public static final GoAwayStatus OK = new GoAwayStatus(0, "OK");
  public static final GoAwayStatus PROTOCOL_ERROR = new GoAwayStatus(1, "PROTOCOL_ERROR");
  public static final GoAwayStatus INTERNAL_ERROR = new GoAwayStatus(2, "INTERNAL_ERROR");

  private static final GoAwayStatus[] KNOWN = {OK, PROTOCOL_ERROR, INTERNAL_ERROR};

  private final int code;
  private final String name;

  private GoAwayStatus(int code, String name) {
    this.code = code;
    this.name = name;
  }

  /** The status of a wire code: a constant when the spec defines it, else {@code UNKNOWN (<code>)}. */
  public static GoAwayStatus valueOf(int code) {
    for (GoAwayStatus s : KNOWN) {
      if (s.code == code) {
        return s;
      }
    }
    return new GoAwayStatus(code, "UNKNOWN (" + Integer.toUnsignedString(code) + ")");
  }

  /** The code on the wire (unsigned 32 bits). */
  public int code() {
    return code;
  }

  /** The spec's name, e.g. {@code OK}, or {@code UNKNOWN (7)}. */
  public String name() {
    return name;
  }

  /** Whether SPDY/3.1 defines this code. */
  public boolean isKnown() {
    return code >= 0 && code < KNOWN.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GoAwayStatus other && other.code == code;
  }

  @Override
  public int hashCode() {
    return Integer.hashCode(code);
  }

  @Override
  public String toString() {
    return name;
  }
}
