package io.kubehop.runtime.process;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The one writer of a process's stdin, shared by every attached client: whole writes never
 * interleave, and closing (EOF, or stdin_once when the first attacher leaves) happens once. With a
 * TTY, EOF is the terminal's ^D rather than closing the PTY master, which would hang up the
 * terminal.
 */
public final class StdinWriter {

  private static final int CTRL_D = 0x04;

  private final OutputStream stdin;
  private final boolean tty;
  private boolean closed;

  /** A writer of {@code stdin}; with {@code tty} it is a PTY master and EOF is ^D. */
  public StdinWriter(OutputStream stdin, boolean tty) {
    this.stdin = stdin;
    this.tty = tty;
  }

  /** Writes and flushes bytes; blocking (a full pipe waits for the process to read). */
  public synchronized void write(byte[] bytes) throws IOException {
    if (closed) {
      throw new IOException("stdin is closed");
    }
    stdin.write(bytes);
    stdin.flush();
  }

  /** Signals end of input: closes the pipe, or sends ^D to a terminal. */
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (tty) {
      stdin.write(CTRL_D);
      stdin.flush();
    } else {
      stdin.close();
    }
  }

  /**
   * Closes the underlying stream without an EOF of its own (for a PTY: the master side, once the
   * process is gone and its output was read), so that no descriptor outlives the process.
   */
  public synchronized void release() {
    closed = true;
    try {
      stdin.close();
    } catch (IOException e) {
      // the process is gone; there is nobody left to tell
    }
  }

  /** Whether input can still be written. */
  public synchronized boolean isOpen() {
    return !closed;
  }
}
