package io.kubehop.streaming.spdy.frame;

/**
 * RST_STREAM status codes (SPDY/3.1 §2.6.3), as Netty's {@code SpdyStreamStatus}: the defined codes
 * are constants, and a code the spec does not define decodes to an {@linkplain #isKnown() unknown}
 * status that keeps its number, so a peer's unexpected status resets that one stream instead of
 * ending the session. 0 is not a status at all and is refused.
 */
public final class RstStatus extends StatusCode {

  public static final RstStatus PROTOCOL_ERROR = new RstStatus(1, "PROTOCOL_ERROR");
  public static final RstStatus INVALID_STREAM = new RstStatus(2, "INVALID_STREAM");
  public static final RstStatus REFUSED_STREAM = new RstStatus(3, "REFUSED_STREAM");
  public static final RstStatus UNSUPPORTED_VERSION = new RstStatus(4, "UNSUPPORTED_VERSION");

  /**
   * What {@code Stream.Reset()} sends in spdystream, and how Kubernetes tears every stream down.
   */
  public static final RstStatus CANCEL = new RstStatus(5, "CANCEL");

  public static final RstStatus INTERNAL_ERROR = new RstStatus(6, "INTERNAL_ERROR");
  public static final RstStatus FLOW_CONTROL_ERROR = new RstStatus(7, "FLOW_CONTROL_ERROR");
  public static final RstStatus STREAM_IN_USE = new RstStatus(8, "STREAM_IN_USE");
  public static final RstStatus STREAM_ALREADY_CLOSED = new RstStatus(9, "STREAM_ALREADY_CLOSED");
  public static final RstStatus INVALID_CREDENTIALS = new RstStatus(10, "INVALID_CREDENTIALS");
  public static final RstStatus FRAME_TOO_LARGE = new RstStatus(11, "FRAME_TOO_LARGE");

  private static final RstStatus[] KNOWN = {
    PROTOCOL_ERROR,
    INVALID_STREAM,
    REFUSED_STREAM,
    UNSUPPORTED_VERSION,
    CANCEL,
    INTERNAL_ERROR,
    FLOW_CONTROL_ERROR,
    STREAM_IN_USE,
    STREAM_ALREADY_CLOSED,
    INVALID_CREDENTIALS,
    FRAME_TOO_LARGE
  };

  private RstStatus(int code, String name) {
    super(code, name);
  }

  /**
   * The status of a wire code: a constant when the spec defines it, else {@code UNKNOWN (<code>)}.
   *
   * @throws IllegalArgumentException for 0, which is not a valid RST_STREAM status
   */
  public static RstStatus valueOf(int code) {
    if (code == 0) {
      throw new IllegalArgumentException("0 is not a valid RST_STREAM status");
    }
    RstStatus known = find(KNOWN, code);
    return known != null ? known : new RstStatus(code, unknownName(code));
  }

  @Override
  public boolean isKnown() {
    return find(KNOWN, code()) != null;
  }
}
