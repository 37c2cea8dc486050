package io.kubehop.streaming.cri;

import io.kubehop.cri.v1.AttachRequest;
import io.kubehop.cri.v1.ExecRequest;
import io.kubehop.cri.v1.PortForwardRequest;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

/**
 * Checks of the CRI streaming requests, with upstream's messages ({@code validateExecRequest} and
 * {@code validateAttachRequest} of the kubelet's CRI streaming server), and the stream options a
 * request fixes: the streaming server takes them from the cached request, never from the URL's
 * query.
 */
public final class StreamRequests {

  private StreamRequests() {}

  /**
   * INVALID_ARGUMENT unless the exec request names a container and asks for a usable set of
   * streams.
   */
  public static void validate(ExecRequest request) {
    if (request.getContainerId().isEmpty()) {
      throw invalidArgument("missing required container_id");
    }
    if (request.getTty() && request.getStderr()) {
      // a terminal merges stderr into stdout: there is nothing to multiplex
      throw invalidArgument("tty and stderr cannot both be true");
    }
    if (!request.getStdin() && !request.getStdout() && !request.getStderr()) {
      throw invalidArgument("one of stdin, stdout, or stderr must be set");
    }
  }

  /**
   * INVALID_ARGUMENT unless the attach request names a container and asks for a usable set of
   * streams.
   */
  public static void validate(AttachRequest request) {
    if (request.getContainerId().isEmpty()) {
      throw invalidArgument("missing required container_id");
    }
    if (request.getTty() && request.getStderr()) {
      throw invalidArgument("tty and stderr cannot both be true");
    }
    if (!request.getStdin() && !request.getStdout() && !request.getStderr()) {
      throw invalidArgument("one of stdin, stdout, and stderr must be set");
    }
  }

  /** INVALID_ARGUMENT unless the port-forward request names a sandbox. */
  public static void validate(PortForwardRequest request) {
    if (request.getPodSandboxId().isEmpty()) {
      throw invalidArgument("missing required pod_sandbox_id");
    }
  }

  /** The streams of an exec. */
  static StreamOptions options(ExecRequest request) {
    return new StreamOptions(
        request.getStdin(), request.getStdout(), request.getStderr(), request.getTty());
  }

  /** The streams of an attach. */
  static StreamOptions options(AttachRequest request) {
    return new StreamOptions(
        request.getStdin(), request.getStdout(), request.getStderr(), request.getTty());
  }

  private static StatusException invalidArgument(String message) {
    return new StatusException(GrpcStatus.INVALID_ARGUMENT, message);
  }
}
