package io.kubehop.streaming.remotecommand;

/**
 * A V4/V5 session ended without a Status on its error stream: a hop or the remote end went away
 * before reporting the command's outcome. Every kubehop and Kubernetes server writes a Status at
 * the end of a V4/V5 session (Success included), so its absence is a broken connection, not a
 * success; client-go treats it as success, which makes kubectl exit 0 (kubectl#1208, #1726).
 * Executors report it only when asked to ({@code requireStatus()}).
 */
public final class MissingStatusException extends Exception {

  private static final long serialVersionUID = 1L;

  public MissingStatusException() {
    super("stream ended without a Status", null, false, false);
  }
}
