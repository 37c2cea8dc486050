package io.kubehop.client.cli;

/**
 * A failure the user caused or must fix; printed as {@code error: <message>}, exit code 1, like
 * kubectl.
 */
public final class CommandException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public CommandException(String message) {
    super(message, null, false, false);
  }
}
