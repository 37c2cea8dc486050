package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * core/v1 ContainerState: exactly one of waiting, running, terminated is set ({@code {}} when none
 * is).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerState(Waiting waiting, Running running, Terminated terminated) {

  public static ContainerState waiting(String reason, String message) {
    return new ContainerState(new Waiting(reason, message), null, null);
  }

  public static ContainerState running(String startedAt) {
    return new ContainerState(null, new Running(startedAt), null);
  }

  public static ContainerState terminated(Terminated terminated) {
    return new ContainerState(null, null, terminated);
  }

  /** core/v1 ContainerStateWaiting. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Waiting(String reason, String message) {}

  /** core/v1 ContainerStateRunning. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Running(String startedAt) {}

  /** core/v1 ContainerStateTerminated. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Terminated(
      int exitCode,
      Integer signal,
      String reason,
      String message,
      String startedAt,
      String finishedAt,
      String containerID) {}
}
