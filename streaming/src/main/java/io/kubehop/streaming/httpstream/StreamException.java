package io.kubehop.streaming.httpstream;

/**
 * Why a stream, or the connection under it, failed: each reason declared once, as spdystream
 * declares its errors ({@code ErrReset}, {@code ErrWriteClosedStream}, {@code ErrTimeout}), so
 * callers can tell them apart by type. These travel in failed futures and exception handlers, never
 * thrown; like Vert.x's {@code Future.failedFuture(String)} they carry no stack trace, and their
 * messages are stable texts that tests and logs rely on.
 */
public abstract sealed class StreamException extends Exception
    permits StreamResetException,
        WriteClosedStreamException,
        ConnectionClosedException,
        StreamTimeoutException {

  private static final long serialVersionUID = 1L;

  protected StreamException(String message) {
    super(message, null, false, false);
  }
}
