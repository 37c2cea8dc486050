package io.kubehop.streaming.spdy.frame;

/**
 * A violation of the SPDY/3.1 wire format or of spdystream's rules, found while decoding. Every
 * decoder error is fatal for the connection (as it is in spdystream, whose {@code ReadFrame} error
 * ends the read loop): the session answers with GOAWAY({@link #goAwayStatus()}) and closes. {@link
 * #streamId()} names the offending stream, or 0. Messages have stable texts that tests assert.
 */
public final class SpdyProtocolException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int streamId;
  private final GoAwayStatus goAwayStatus;

  public SpdyProtocolException(String message, int streamId) {
    this(message, streamId, GoAwayStatus.PROTOCOL_ERROR);
  }

  public SpdyProtocolException(String message, int streamId, GoAwayStatus goAwayStatus) {
    super(message, null, false, false);
    this.streamId = streamId;
    this.goAwayStatus = goAwayStatus;
  }

  public int streamId() {
    return streamId;
  }

  public GoAwayStatus goAwayStatus() {
    return goAwayStatus;
  }
}
