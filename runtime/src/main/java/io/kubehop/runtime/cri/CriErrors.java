package io.kubehop.runtime.cri;

import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

/**
 * The gRPC errors the runtime answers with; messages follow containerd's wording where it has one.
 */
public final class CriErrors {

  private CriErrors() {}

  /** NOT_FOUND for an unknown sandbox or container id. */
  public static StatusException notFound(String kind, String id) {
    return new StatusException(
        GrpcStatus.NOT_FOUND,
        "an error occurred when try to find " + kind + " \"" + id + "\": not found");
  }

  /** INVALID_ARGUMENT for a malformed request. */
  public static StatusException invalidArgument(String message) {
    return new StatusException(GrpcStatus.INVALID_ARGUMENT, message);
  }

  /** FAILED_PRECONDITION when the object is in the wrong state for the call. */
  public static StatusException failedPrecondition(String message) {
    return new StatusException(GrpcStatus.FAILED_PRECONDITION, message);
  }

  /** ALREADY_EXISTS when a name is reserved by another sandbox or container. */
  public static StatusException alreadyExists(String message) {
    return new StatusException(GrpcStatus.ALREADY_EXISTS, message);
  }

  /** RESOURCE_EXHAUSTED when the pod CIDR has no free address. */
  public static StatusException exhausted(String message) {
    return new StatusException(GrpcStatus.RESOURCE_EXHAUSTED, message);
  }

  /** UNKNOWN for a failure of the runtime itself (containerd's code for "failed to start"). */
  public static StatusException unknown(String message) {
    return new StatusException(GrpcStatus.UNKNOWN, message);
  }

  /** UNIMPLEMENTED for the calls of a later issue. */
  public static StatusException unimplemented(String method) {
    return new StatusException(
        GrpcStatus.UNIMPLEMENTED, method + " is not implemented by the kubehop runtime yet");
  }
}
