package io.kubehop.streaming.spdy.frame;

/** RST_STREAM status codes (SPDY/3.1 §2.6.3); 0 is not a valid status and is rejected on receipt. */
public enum RstStatus {
  PROTOCOL_ERROR(1),
  INVALID_STREAM(2),
  REFUSED_STREAM(3),
  UNSUPPORTED_VERSION(4),
  /** What {@code Stream.Reset()} sends in spdystream, and how Kubernetes tears every stream down. */
  CANCEL(5),
  INTERNAL_ERROR(6),
  FLOW_CONTROL_ERROR(7),
  STREAM_IN_USE(8),
  STREAM_ALREADY_CLOSED(9),
  INVALID_CREDENTIALS(10),
  FRAME_TOO_LARGE(11);

  private final int code;

  RstStatus(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The status for a wire code, or {@code null} if the code is unknown. */
  public static RstStatus fromCode(int code) {
    for (RstStatus s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    return null;
  }
}
