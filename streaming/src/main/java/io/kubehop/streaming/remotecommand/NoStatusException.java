package io.kubehop.streaming.remotecommand;

/**
 * The session's connection ended before the server's error stream did: no status (and, on V1–V3, no
 * clean end of the error stream) arrived, so the outcome of the command is unknown. client-go reads
 * an error stream cut off this way as empty, which is success, and kubectl exits 0 (kubectl #1208,
 * #1726); kubehop reports it instead.
 */
public final class NoStatusException extends Exception {

  private static final long serialVersionUID = 1L;

  public NoStatusException(Throwable cause) {
    super(
        "connection closed before the error stream delivered a status"
            + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage()),
        cause);
  }
}
