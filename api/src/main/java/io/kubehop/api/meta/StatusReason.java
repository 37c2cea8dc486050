package io.kubehop.api.meta;

/** The meta/v1 StatusReason values that kubehop returns. */
public final class StatusReason {
  public static final String NOT_FOUND = "NotFound";
  public static final String ALREADY_EXISTS = "AlreadyExists";
  public static final String BAD_REQUEST = "BadRequest";
  public static final String INVALID = "Invalid";
  public static final String CONFLICT = "Conflict";
  public static final String METHOD_NOT_ALLOWED = "MethodNotAllowed";
  public static final String NOT_ACCEPTABLE = "NotAcceptable";
  public static final String UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType";
  public static final String UNAUTHORIZED = "Unauthorized";
  public static final String FORBIDDEN = "Forbidden";
  public static final String INTERNAL_ERROR = "InternalError";
  public static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";
  public static final String GONE = "Expired";
  public static final String TIMEOUT = "Timeout";
  public static final String NON_ZERO_EXIT_CODE = "NonZeroExitCode";

  /** The cause type (JSON {@code reason}) that carries an exit code in a NonZeroExitCode Status. */
  public static final String EXIT_CODE_CAUSE = "ExitCode";

  private StatusReason() {
    throw new AssertionError("No instances.");
  }
}
