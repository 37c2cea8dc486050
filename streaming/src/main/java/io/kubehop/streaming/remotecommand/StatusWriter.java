package io.kubehop.streaming.remotecommand;

import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.ListMeta;
import io.kubehop.api.meta.Status;
import io.kubehop.api.meta.StatusCause;
import io.kubehop.api.meta.StatusDetails;
import io.kubehop.api.meta.StatusException;
import io.kubehop.api.meta.StatusReason;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * What a server writes on the error stream when a remote command ends (kubelet {@code
 * remotecommand/exec.go}, {@code httpstream.go}). V4/V5 write a bare {@code metav1.Status} (no
 * kind/apiVersion); V1–V3 write plain text and nothing on success.
 */
public final class StatusWriter {

  /** Message prefix of a non-zero exit. */
  public static final String NON_ZERO_PREFIX = "command terminated with non-zero exit code: ";

  /** Internal-error prefix for exec. */
  public static final String EXEC_ERROR_PREFIX = "error executing command in container: ";

  /** Internal-error prefix for attach. */
  public static final String ATTACH_ERROR_PREFIX = "error attaching to container: ";

  private StatusWriter() {
    throw new AssertionError("No instances.");
  }

  /**
   * The error-stream bytes for an outcome: {@code null} = success, an {@link ExitCodeException} =
   * non-zero exit, anything else = internal error (message prefixed with {@code errorPrefix}).
   */
  public static Buffer encode(StreamProtocol protocol, Throwable outcome, String errorPrefix) {
    if (protocol.jsonStatus()) {
      return Buffer.buffer(ApiJson.writeBytes(status(outcome, errorPrefix)));
    }
    if (outcome == null) {
      return Buffer.buffer();
    }
    return Buffer.buffer(status(outcome, errorPrefix).message());
  }

  /** The bare Status of an outcome. */
  public static Status status(Throwable outcome, String errorPrefix) {
    if (outcome == null) {
      return Status.streamSuccess();
    }
    if (outcome instanceof ExitCodeException exit) {
      return new Status(
          null,
          null,
          ListMeta.EMPTY,
          Status.FAILURE,
          NON_ZERO_PREFIX + exit.getMessage(),
          StatusReason.NON_ZERO_EXIT_CODE,
          StatusDetails.causes(
              List.of(
                  new StatusCause(
                      StatusReason.EXIT_CODE_CAUSE, Integer.toString(exit.code()), null))),
          null);
    }
    if (outcome instanceof StatusException se) {
      return se.status().bare();
    }
    return StatusException.internal(errorPrefix + outcome.getMessage()).status().bare();
  }
}
