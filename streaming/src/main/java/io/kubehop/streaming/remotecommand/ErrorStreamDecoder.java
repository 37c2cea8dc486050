package io.kubehop.streaming.remotecommand;

import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.Status;
import io.kubehop.api.meta.StatusCause;
import io.kubehop.api.meta.StatusReason;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Client side: turns the whole content of the error stream into the command's outcome (client-go
 * {@code errorstream.go}, {@code errorDecoderV4}). {@code null} means success; an {@link
 * ExitCodeException} a non-zero exit; any other exception an error with client-go's message.
 */
public final class ErrorStreamDecoder {

  private ErrorStreamDecoder() {
    throw new AssertionError("No instances.");
  }

  public static Exception decode(StreamProtocol protocol, Buffer message) {
    return decode(protocol, message, false);
  }

  /**
   * As {@link #decode(StreamProtocol, Buffer)}; with {@code statusRequired} an empty V4/V5 error
   * stream is a {@link MissingStatusException} instead of a success (V1–V3 say success with an
   * empty stream, so there it stays one).
   */
  public static Exception decode(StreamProtocol protocol, Buffer message, boolean statusRequired) {
    if (message.length() == 0) {
      if (statusRequired && protocol.jsonStatus()) {
        return new MissingStatusException();
      }
      return null;
    }
    String text = message.toString();
    return switch (protocol) {
      case V1 -> new RemoteCommandException("Error executing remote command: " + text);
      case V2, V3 -> new RemoteCommandException("error executing remote command: " + text);
      case V4, V5 -> decodeStatus(message);
    };
  }

  private static Exception decodeStatus(Buffer message) {
    Status status;
    try {
      status = ApiJson.read(message.getBytes(), Status.class);
    } catch (IOException e) {
      return new RemoteCommandException(
          "error stream protocol error: " + e.getMessage() + " in \"" + message + "\"");
    }
    if (Status.SUCCESS.equals(status.status())) {
      return null;
    }
    if (!Status.FAILURE.equals(status.status())) {
      return new RemoteCommandException("error stream protocol error: unknown error");
    }
    if (StatusReason.NON_ZERO_EXIT_CODE.equals(status.reason())) {
      if (status.details() == null) {
        return new RemoteCommandException("error stream protocol error: details must be set");
      }
      if (status.details().causes() != null) {
        for (StatusCause c : status.details().causes()) {
          if (!StatusReason.EXIT_CODE_CAUSE.equals(c.reason())) {
            continue;
          }
          int rc;
          try {
            rc = Integer.parseInt(c.message());
          } catch (NumberFormatException e) {
            rc = -1;
          }
          if (rc < 0 || rc > 255) {
            return new RemoteCommandException(
                "error stream protocol error: invalid exit code value \"" + c.message() + "\"");
          }
          return new ExitCodeException(rc, "command terminated with exit code " + rc);
        }
      }
      return new RemoteCommandException("error stream protocol error: no ExitCode cause given");
    }
    return new RemoteCommandException(status.message());
  }

  /** A remote command failed for a reason other than its exit code. */
  public static final class RemoteCommandException extends Exception {
    private static final long serialVersionUID = 1L;

    public RemoteCommandException(String message) {
      super(message, null, false, false);
    }
  }
}
