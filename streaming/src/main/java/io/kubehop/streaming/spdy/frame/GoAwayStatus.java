package io.kubehop.streaming.spdy.frame;

/** GOAWAY status codes (SPDY/3.1 §2.6.6). */
public enum GoAwayStatus {
  OK(0),
  PROTOCOL_ERROR(1),
  INTERNAL_ERROR(2);

  private final int code;

  GoAwayStatus(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The status for a wire code, or {@code null} if unknown (spdystream does not check it either). */
  public static GoAwayStatus fromCode(int code) {
    for (GoAwayStatus s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    return null;
  }
}
