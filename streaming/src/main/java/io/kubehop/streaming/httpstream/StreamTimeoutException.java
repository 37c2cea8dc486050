package io.kubehop.streaming.httpstream;

/**
 * The peer did not do its part in time (spdystream's {@code ErrTimeout}), e.g. create the streams
 * of an exec.
 */
public final class StreamTimeoutException extends StreamException {

  private static final long serialVersionUID = 1L;

  public StreamTimeoutException(String message) {
    super(message);
  }
}
