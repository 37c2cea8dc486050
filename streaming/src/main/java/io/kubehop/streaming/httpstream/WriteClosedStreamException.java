package io.kubehop.streaming.httpstream;

/** A write after this side ended the stream (spdystream's {@code ErrWriteClosedStream}). */
public final class WriteClosedStreamException extends StreamException {

  private static final long serialVersionUID = 1L;

  /** {@code Write on closed stream}, spdystream's text. */
  public WriteClosedStreamException() {
    super("Write on closed stream");
  }

  /** With the stream named, e.g. {@code write on closed channel 0}. */
  public WriteClosedStreamException(String message) {
    super(message);
  }
}
