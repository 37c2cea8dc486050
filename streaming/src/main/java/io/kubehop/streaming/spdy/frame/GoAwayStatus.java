package io.kubehop.streaming.spdy.frame;

/**
 * GOAWAY status codes (SPDY/3.1 §2.6.6), as Netty's {@code SpdySessionStatus}: the defined codes
 * are constants, and a code the spec does not define decodes to an {@linkplain #isKnown() unknown}
 * status that keeps its number. A GOAWAY is a GOAWAY whatever its status: the peer is leaving
 * (spdystream does not look at the status either).
 */
public final class GoAwayStatus extends StatusCode {

  public static final GoAwayStatus OK = new GoAwayStatus(0, "OK");
  public static final GoAwayStatus PROTOCOL_ERROR = new GoAwayStatus(1, "PROTOCOL_ERROR");
  public static final GoAwayStatus INTERNAL_ERROR = new GoAwayStatus(2, "INTERNAL_ERROR");

  private static final GoAwayStatus[] KNOWN = {OK, PROTOCOL_ERROR, INTERNAL_ERROR};

  private GoAwayStatus(int code, String name) {
    super(code, name);
  }

  /**
   * The status of a wire code: a constant when the spec defines it, else {@code UNKNOWN (<code>)}.
   */
  public static GoAwayStatus valueOf(int code) {
    GoAwayStatus known = find(KNOWN, code);
    return known != null ? known : new GoAwayStatus(code, unknownName(code));
  }

  @Override
  public boolean isKnown() {
    return find(KNOWN, code()) != null;
  }
}
