package io.kubehop.kubelet.pod;

import io.kubehop.cri.v1.ContainerState;
import io.kubehop.cri.v1.ContainerStatus;
import io.kubehop.kubelet.cri.CriLabels;
import java.util.List;
import java.util.Map;

/**
 * What the runtime holds for one pod, as observed at the start of a sync: the sandbox and, per
 * container name, the newest attempt, the one before it, and the ids of any older ones (garbage to
 * remove).
 *
 * @param sandboxId the pod's ready sandbox
 * @param podIp the sandbox's IP (may be empty)
 * @param containers per container name
 */
record PodSnapshot(String sandboxId, String podIp, Map<String, History> containers) {

  /** The attempts of one container, newest first. */
  record History(ContainerStatus latest, ContainerStatus previous, List<String> olderIds) {}

  History history(String name) {
    return containers.get(name);
  }

  /**
   * The attempt number a container was created with: its restartCount annotation, else its metadata
   * attempt.
   */
  static int attempt(ContainerStatus s) {
    String count = s.getAnnotationsMap().get(CriLabels.RESTART_COUNT);
    if (count != null) {
      try {
        return Integer.parseInt(count);
      } catch (NumberFormatException e) {
        // fall through to the metadata
      }
    }
    return s.getMetadata().getAttempt();
  }

  static boolean exited(ContainerStatus s) {
    return s != null && s.getState() == ContainerState.CONTAINER_EXITED;
  }
}
