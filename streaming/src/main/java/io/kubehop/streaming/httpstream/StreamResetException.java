package io.kubehop.streaming.httpstream;

/**
 * The stream was reset, by either side (spdystream's {@code ErrReset}, SPDY's RST_STREAM): {@code
 * stream reset}.
 */
public final class StreamResetException extends StreamException {

  private static final long serialVersionUID = 1L;

  public StreamResetException() {
    super("stream reset");
  }
}
