package io.kubehop.client.cli;

import io.kubehop.api.meta.StatusException;
import io.kubehop.api.meta.StatusReason;
import io.kubehop.client.ExitCodeException;
import io.kubehop.client.rest.KubeconfigException;
import io.kubehop.client.rest.ServerUnreachableException;
import java.io.PrintStream;
import picocli.CommandLine;

/**
 * Maps failures to kubectl's messages and exit codes. An API {@code Status} prints {@code Error
 * from server (<Reason>): <message>}, an unreachable server kubectl's connection message, usage and
 * local errors {@code error: …}; all exit 1. {@link ExitCodeException} carries a remote command's
 * exit code.
 */
public final class ExitCodes
    implements CommandLine.IExitCodeExceptionMapper,
        CommandLine.IExecutionExceptionHandler,
        CommandLine.IParameterExceptionHandler {

  private final PrintStream err;

  public ExitCodes(PrintStream err) {
    this.err = err;
  }

  @Override
  public int getExitCode(Throwable exception) {
    return exception instanceof ExitCodeException e ? e.code() : 1;
  }

  @Override
  public int handleExecutionException(
      Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    String message = message(ex);
    if (message != null) {
      err.println(message);
    }
    err.flush();
    return getExitCode(ex);
  }

  @Override
  public int handleParseException(CommandLine.ParameterException ex, String[] args) {
    String message = ex.getMessage();
    if (ex instanceof CommandLine.UnmatchedArgumentException u
        && !u.getUnmatched().isEmpty()
        && u.getUnmatched().get(0).startsWith("-")) {
      message = "unknown flag: " + u.getUnmatched().get(0).split("=", 2)[0];
    }
    err.println("error: " + message);
    err.println(
        "See '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
    return 1;
  }

  /** kubectl's {@code StandardErrorMessage}; null when nothing is to be printed. */
  static String message(Throwable ex) {
    if (ex instanceof ExitCodeException e) {
      return e.message();
    }
    if (ex instanceof StatusException s) {
      String reason = s.status().reason();
      if (StatusReason.UNAUTHORIZED.equals(reason)) {
        return "error: You must be logged in to the server (" + s.getMessage() + ")";
      }
      return reason == null || reason.isEmpty()
          ? "Error from server: " + s.getMessage()
          : "Error from server (" + reason + "): " + s.getMessage();
    }
    if (ex instanceof ServerUnreachableException) {
      return ex.getMessage();
    }
    if (ex instanceof KubeconfigException k) {
      return k.kubectlMessage();
    }
    if (ex instanceof CommandException) {
      return "error: " + ex.getMessage();
    }
    return "error: " + (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage());
  }
}
