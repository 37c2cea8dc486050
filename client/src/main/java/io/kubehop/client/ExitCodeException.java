package io.kubehop.client;

/**
 * Ends the CLI with a given exit code and no further message: the remote command's exit code of
 * exec/attach (a NonZeroExitCode Status on the error stream), as kubectl exits with it. Mapped by
 * {@link io.kubehop.client.cli.ExitCodes}.
 */
public final class ExitCodeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int code;

  public ExitCodeException(int code) {
    super("command terminated with non-zero exit code: exit status " + code, null, false, false);
    this.code = code;
  }

  public int code() {
    return code;
  }
}
