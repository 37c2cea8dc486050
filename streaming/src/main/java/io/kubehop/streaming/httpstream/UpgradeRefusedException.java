package io.kubehop.streaming.httpstream;

/**
 * This side refused a streaming upgrade, or could not complete it, and has already answered the
 * client over HTTP with {@link #status()} (a handshake's 403 or 405, a proxy's 400, a backend's
 * refusal it relayed): the future of the upgrade fails with this so the caller knows there is
 * nothing left to answer.
 */
public final class UpgradeRefusedException extends Exception {

  private static final long serialVersionUID = 1L;
  private final int status;

  public UpgradeRefusedException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  /** The HTTP status the client got. */
  public int status() {
    return status;
  }
}
