package io.kubehop.api.meta;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** meta/v1 StatusDetails. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record StatusDetails(
    String name,
    String group,
    String kind,
    String uid,
    List<StatusCause> causes,
    Integer retryAfterSeconds) {

  public static StatusDetails of(String name, String kind) {
    return new StatusDetails(name, null, kind, null, null, null);
  }

  public static StatusDetails causes(List<StatusCause> causes) {
    return new StatusDetails(null, null, null, null, causes, null);
  }
}
