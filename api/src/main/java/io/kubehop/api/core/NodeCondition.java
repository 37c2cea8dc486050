package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;

/** core/v1 NodeCondition; kubehop reports the {@code Ready} condition. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeCondition(
    String type,
    String status,
    String lastHeartbeatTime,
    String lastTransitionTime,
    String reason,
    String message) {
  public static final String READY = "Ready";
}
