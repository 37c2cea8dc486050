package io.kubehop.streaming.httpstream;

import java.util.Optional;

/** Values of the {@code streamtype} stream header (apimachinery {@code StreamType*} constants). */
public enum StreamType {
  ERROR("error"),
  STDIN("stdin"),
  STDOUT("stdout"),
  STDERR("stderr"),
  RESIZE("resize"),
  /** Port-forward payload. */
  DATA("data");

  private final String headerValue;

  StreamType(String headerValue) {
    this.headerValue = headerValue;
  }

  public String headerValue() {
    return headerValue;
  }

  /** The type for a header value (compared case-sensitively, as Go does), if known. */
  public static Optional<StreamType> fromHeader(String value) {
    for (StreamType t : values()) {
      if (t.headerValue.equals(value)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
