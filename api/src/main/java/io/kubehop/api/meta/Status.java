package io.kubehop.api.meta;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * meta/v1 Status, the shape of every Kubernetes error.
 *
 * <p>Two flavours exist on the wire. apiserver HTTP errors carry {@code kind: Status, apiVersion:
 * v1}; the exec error channel (SPDY error stream, WebSocket channel 3) carries a bare {@code
 * json.Marshal(metav1.Status)} with no kind or apiVersion. Keys follow Go's struct order: metadata,
 * status, message, reason, details, code.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "kind",
  "apiVersion",
  "metadata",
  "status",
  "message",
  "reason",
  "details",
  "code"
})
public record Status(
    String kind,
    String apiVersion,
    @JsonInclude(JsonInclude.Include.ALWAYS) ListMeta metadata,
    String status,
    String message,
    String reason,
    StatusDetails details,
    Integer code) {

  public static final String SUCCESS = "Success";
  public static final String FAILURE = "Failure";

  public Status {
    if (metadata == null) {
      metadata = ListMeta.EMPTY;
    }
  }

  /** An apiserver HTTP error: {@code kind: Status}, {@code apiVersion: v1}. */
  public static Status failure(int code, String reason, String message, StatusDetails details) {
    return new Status("Status", "v1", ListMeta.EMPTY, FAILURE, message, reason, details, code);
  }

  /**
   * The Success Status of the exec error channel (no kind, no apiVersion): {@code
   * {"metadata":{},"status":"Success"}}.
   */
  public static Status streamSuccess() {
    return new Status(null, null, ListMeta.EMPTY, SUCCESS, null, null, null, null);
  }

  /** This Status without kind and apiVersion, as the exec error channel carries it. */
  public Status bare() {
    return new Status(null, null, metadata, status, message, reason, details, code);
  }

  @JsonIgnore
  public boolean isSuccess() {
    return SUCCESS.equals(status);
  }
}
