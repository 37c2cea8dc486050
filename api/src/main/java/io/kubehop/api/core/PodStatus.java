package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** core/v1 PodStatus (subset). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PodStatus(
    String phase,
    List<PodCondition> conditions,
    String message,
    String reason,
    String hostIP,
    String podIP,
    List<PodIP> podIPs,
    String startTime,
    List<ContainerStatus> containerStatuses) {

  public static final String PENDING = "Pending";
  public static final String RUNNING = "Running";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";
  public static final String UNKNOWN = "Unknown";

  public List<ContainerStatus> containerStatuses() {
    return containerStatuses == null ? List.of() : containerStatuses;
  }

  /** core/v1 PodIP. */
  public record PodIP(String ip) {}
}
