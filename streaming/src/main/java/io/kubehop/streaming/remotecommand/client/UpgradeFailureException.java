package io.kubehop.streaming.remotecommand.client;

/**
 * The streaming upgrade itself failed: a non-101 answer, or a 101 with a subprotocol that was not
 * offered (client-go's {@code httpstream.UpgradeFailureError}, {@code unable to upgrade streaming
 * request: <cause>}). Errors after a successful upgrade are never this.
 */
public final class UpgradeFailureException extends Exception {

  private static final long serialVersionUID = 1L;
  private final int status;

  public UpgradeFailureException(int status, String cause) {
    super("unable to upgrade streaming request: " + cause, null, false, false);
    this.status = status;
  }

  /** The HTTP status of the refusal, or -1 when the 101 itself was unacceptable. */
  public int status() {
    return status;
  }
}
