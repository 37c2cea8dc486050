package io.kubehop.streaming.httpstream;

/**
 * The connection under the stream is gone, or going (a SPDY session after GOAWAY takes no new
 * streams), or went away before it was established: {@code connection closed}, or a message that
 * says when.
 */
public final class ConnectionClosedException extends StreamException {

  private static final long serialVersionUID = 1L;

  public ConnectionClosedException() {
    super("connection closed");
  }

  /** E.g. {@code session is closing}, {@code connection closed while waiting for streams}. */
  public ConnectionClosedException(String message) {
    super(message);
  }
}
