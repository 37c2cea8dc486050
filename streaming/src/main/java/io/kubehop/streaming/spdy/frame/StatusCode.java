package io.kubehop.streaming.spdy.frame;

/**
 * A status code of a SPDY control frame ({@link RstStatus}, {@link GoAwayStatus}): the number on
 * the wire and the spec's name. As in Netty's {@code SpdyStreamStatus}, a code the spec does not
 * define is a status of its own, named {@code UNKNOWN (<code>)}, so it can be decoded, logged and
 * sent back unchanged. Two statuses of a kind are equal when their codes are.
 */
public abstract sealed class StatusCode permits RstStatus, GoAwayStatus {

  private final int code;
  private final String name;

  StatusCode(int code, String name) {
    this.code = code;
    this.name = name;
  }

  /** The first of {@code known} with {@code code}, or null. */
  static <S extends StatusCode> S find(S[] known, int code) {
    for (S s : known) {
      if (s.code() == code) {
        return s;
      }
    }
    return null;
  }

  static String unknownName(int code) {
    return "UNKNOWN (" + Integer.toUnsignedString(code) + ")";
  }

  /** The code on the wire (unsigned 32 bits). */
  public int code() {
    return code;
  }

  /** The spec's name, e.g. {@code CANCEL}, or {@code UNKNOWN (99)}. */
  public String name() {
    return name;
  }

  /** Whether SPDY/3.1 defines this code. */
  public abstract boolean isKnown();

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && ((StatusCode) o).code == code;
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
