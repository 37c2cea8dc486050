package io.kubehop.api.meta;

import java.util.List;

/**
 * A failure that carries the {@link Status} to answer with. The static factories produce the exact
 * messages and reasons of upstream's {@code k8s.io/apimachinery/pkg/api/errors}.
 */
public final class StatusException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Status status;

  public StatusException(Status status) {
    super(status.message(), null, false, false);
    this.status = status;
  }

  public Status status() {
    return status;
  }

  public int code() {
    return status.code() == null ? 500 : status.code();
  }

  /** {@code pods "x" not found}, 404. {@code resource} is plural, e.g. {@code pods}. */
  public static StatusException notFound(String resource, String name) {
    return new StatusException(
        Status.failure(
            404,
            StatusReason.NOT_FOUND,
            resource + " \"" + name + "\" not found",
            StatusDetails.of(name, resource)));
  }

  /** {@code pods "x" already exists}, 409. */
  public static StatusException alreadyExists(String resource, String name) {
    return new StatusException(
        Status.failure(
            409,
            StatusReason.ALREADY_EXISTS,
            resource + " \"" + name + "\" already exists",
            StatusDetails.of(name, resource)));
  }

  /** A 409 Conflict, e.g. a stale resourceVersion on update. */
  public static StatusException conflict(String resource, String name, String why) {
    return new StatusException(
        Status.failure(
            409,
            StatusReason.CONFLICT,
            "Operation cannot be fulfilled on " + resource + " \"" + name + "\": " + why,
            StatusDetails.of(name, resource)));
  }

  public static StatusException badRequest(String message) {
    return new StatusException(Status.failure(400, StatusReason.BAD_REQUEST, message, null));
  }

  /**
   * A 422 Invalid with field causes: {@code Pod "Bad_Name" is invalid: metadata.name: Invalid
   * value: …}. {@code kind} is singular and capitalised, as upstream's {@code NewInvalid} prints
   * it.
   */
  public static StatusException invalid(
      String kind, String resource, String name, List<StatusCause> causes) {
    StringBuilder message =
        new StringBuilder(kind).append(" \"").append(name).append("\" is invalid: ");
    for (int i = 0; i < causes.size(); i++) {
      if (i > 0) {
        message.append(", ");
      }
      StatusCause c = causes.get(i);
      message.append(c.field()).append(": ").append(c.message());
    }
    if (causes.size() > 1) {
      message.insert(message.indexOf("is invalid: ") + "is invalid: ".length(), "[").append(']');
    }
    return new StatusException(
        Status.failure(
            422,
            StatusReason.INVALID,
            message.toString(),
            new StatusDetails(name, null, resource, null, causes, null)));
  }

  public static StatusException methodNotAllowed() {
    return new StatusException(
        Status.failure(
            405,
            StatusReason.METHOD_NOT_ALLOWED,
            "the server does not allow this method on the requested resource",
            null));
  }

  public static StatusException notFoundPath() {
    return new StatusException(
        Status.failure(
            404, StatusReason.NOT_FOUND, "the server could not find the requested resource", null));
  }

  public static StatusException internal(String message) {
    return new StatusException(
        Status.failure(
            500,
            StatusReason.INTERNAL_ERROR,
            "Internal error occurred: " + message,
            StatusDetails.causes(List.of(new StatusCause(null, message, null)))));
  }

  public static StatusException serviceUnavailable(String message) {
    return new StatusException(
        Status.failure(503, StatusReason.SERVICE_UNAVAILABLE, message, null));
  }
}
