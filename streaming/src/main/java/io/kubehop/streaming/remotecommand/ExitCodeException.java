package io.kubehop.streaming.remotecommand;

import java.util.List;

/**
 * A remote command ended with a non-zero exit code (Go's {@code exec.CodeExitError}). On the server
 * side an executor fails with it to report the code; on the client side the error-stream decoder
 * produces it, and the CLI exits with {@link #code()}.
 */
public final class ExitCodeException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int code;

  /** With Go's {@code exec.ExitError} text, {@code exit status N}. */
  public ExitCodeException(int code) {
    this(code, "exit status " + code);
  }

  public ExitCodeException(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /** containerd's text: {@code error executing command [sh -c exit 3], exit code 3}. */
  public static ExitCodeException forCommand(List<String> command, int code) {
    return new ExitCodeException(
        code, "error executing command [" + String.join(" ", command) + "], exit code " + code);
  }

  public int code() {
    return code;
  }
}
