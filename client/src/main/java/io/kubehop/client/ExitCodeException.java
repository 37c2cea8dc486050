package io.kubehop.client;

/**
 * Ends the CLI with a given exit code: the remote command's exit code of exec/attach (a
 * NonZeroExitCode Status on the error stream), as kubectl exits with it, printing {@link
 * #message()} first when there is one ({@code command terminated with exit code 3}). Mapped by
 * {@link io.kubehop.client.cli.ExitCodes}.
 */
public final class ExitCodeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int code;
  private final String message;

  /** Exits with {@code code}, printing nothing. */
  public ExitCodeException(int code) {
    this(code, null);
  }

  /** Exits with {@code code} after printing {@code message} (as is) on stderr; null: nothing. */
  public ExitCodeException(int code, String message) {
    super(
        message != null
            ? message
            : "command terminated with non-zero exit code: exit status " + code,
        null,
        false,
        false);
    this.code = code;
    this.message = message;
  }

  /** What to print, or null. */
  public String message() {
    return message;
  }

  public int code() {
    return code;
  }
}
