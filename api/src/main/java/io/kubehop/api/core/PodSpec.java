package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/** core/v1 PodSpec (subset). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PodSpec(
    List<Container> containers,
    List<Container> initContainers,
    String restartPolicy,
    String nodeName,
    Long terminationGracePeriodSeconds,
    String hostname,
    Boolean hostNetwork,
    List<Volume> volumes,
    Boolean shareProcessNamespace,
    Boolean hostPID,
    Boolean hostIPC) {

  /** The fields before volumes came. */
  public PodSpec(
      List<Container> containers,
      List<Container> initContainers,
      String restartPolicy,
      String nodeName,
      Long terminationGracePeriodSeconds,
      String hostname,
      Boolean hostNetwork) {
    this(
        containers,
        initContainers,
        restartPolicy,
        nodeName,
        terminationGracePeriodSeconds,
        hostname,
        hostNetwork,
        null,
        null,
        null,
        null);
  }

  public List<Volume> volumes() {
    return volumes == null ? List.of() : volumes;
  }

  public static final String RESTART_ALWAYS = "Always";
  public static final String RESTART_ON_FAILURE = "OnFailure";
  public static final String RESTART_NEVER = "Never";

  public List<Container> containers() {
    return containers == null ? List.of() : containers;
  }

  public Optional<Container> container(String name) {
    return containers().stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** The effective restart policy; Kubernetes defaults it to Always. */
  public String effectiveRestartPolicy() {
    return restartPolicy == null || restartPolicy.isEmpty() ? RESTART_ALWAYS : restartPolicy;
  }

  /** The grace period; Kubernetes defaults it to 30 seconds. */
  public long effectiveGracePeriodSeconds() {
    return terminationGracePeriodSeconds == null ? 30 : terminationGracePeriodSeconds;
  }
}
