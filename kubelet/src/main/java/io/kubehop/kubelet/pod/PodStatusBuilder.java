package io.kubehop.kubelet.pod;

import io.kubehop.api.core.Container;
import io.kubehop.api.core.ContainerState;
import io.kubehop.api.core.ContainerStatus;
import io.kubehop.api.core.Pod;
import io.kubehop.api.core.PodCondition;
import io.kubehop.api.core.PodSpec;
import io.kubehop.api.core.PodStatus;
import io.kubehop.api.meta.Times;
import io.kubehop.kubelet.prober.ProbeManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Computes a pod's API status from what the runtime holds, following upstream's {@code
 * generateAPIPodStatus} and {@code getPhase} for pods without init containers.
 */
final class PodStatusBuilder {

  static final String ID_PREFIX = "kubehop://";

  private PodStatusBuilder() {
    throw new AssertionError("No instances.");
  }

  /**
   * @param waits containers held back by crash-loop backoff or a failed create/start: name →
   *     waiting state
   */
  static PodStatus build(
      PodRecord rec,
      PodSnapshot snap,
      Map<String, ContainerState.Waiting> waits,
      String nodeIp,
      Instant now) {
    return build(rec, snap, waits, nodeIp, now, null);
  }

  /**
   * @param probes the results deciding {@code started} and {@code ready} of running containers
   *     (null: no probes, a running container has started and is ready)
   */
  static PodStatus build(
      PodRecord rec,
      PodSnapshot snap,
      Map<String, ContainerState.Waiting> waits,
      String nodeIp,
      Instant now,
      ProbeManager probes) {
    Pod pod = rec.pod();
    List<ContainerStatus> statuses = new ArrayList<>();
    rec.currentContainerIds.clear();
    rec.previousContainerIds.clear();
    for (Container c : pod.spec().containers()) {
      statuses.add(
          containerStatus(
              rec, c, snap == null ? null : snap.history(c.name()), waits.get(c.name()), probes));
    }
    PodStatus previous = rec.current != null ? rec.current : pod.status();
    String phase = phase(pod, statuses, previous);
    List<PodCondition> conditions = conditions(pod, snap != null, statuses, phase, previous, now);
    String podIp = snap == null || snap.podIp().isEmpty() ? null : snap.podIp();
    if (Boolean.TRUE.equals(pod.spec().hostNetwork())) {
      podIp = nodeIp; // a host-network pod has the node's address, as upstream reports it
    }
    return new PodStatus(
        phase,
        conditions,
        null,
        null,
        nodeIp,
        podIp,
        podIp == null ? null : List.of(new PodStatus.PodIP(podIp)),
        rec.startTime,
        statuses);
  }

  private static ContainerStatus containerStatus(
      PodRecord rec,
      Container c,
      PodSnapshot.History h,
      ContainerState.Waiting wait,
      ProbeManager probes) {
    String image = c.image();
    ContainerState notStarted =
        wait != null
            ? new ContainerState(wait, null, null)
            : ContainerState.waiting("ContainerCreating", null);
    if (h == null || h.latest() == null) {
      return new ContainerStatus(c.name(), notStarted, null, false, 0, image, "", null, false);
    }
    io.kubehop.cri.v1.ContainerStatus latest = h.latest();
    int restartCount = PodSnapshot.attempt(latest);
    String imageId = !latest.getImageRef().isEmpty() ? latest.getImageRef() : latest.getImageId();
    String id = ID_PREFIX + latest.getId();
    ContainerState lastState =
        h.previous() != null && PodSnapshot.exited(h.previous())
            ? ContainerState.terminated(terminated(h.previous()))
            : null;
    if (lastState != null) {
      rec.previousContainerIds.put(c.name(), h.previous().getId());
    }
    switch (latest.getState()) {
      case CONTAINER_RUNNING -> {
        rec.currentContainerIds.put(c.name(), latest.getId());
        // upstream's prober manager UpdatePodStatus: the startup probe gates readiness
        boolean started = probes == null || probes.started(rec.uid(), c, latest.getId());
        boolean ready = started && (probes == null || probes.ready(rec.uid(), c, latest.getId()));
        return new ContainerStatus(
            c.name(),
            ContainerState.running(time(latest.getStartedAt())),
            lastState,
            ready,
            restartCount,
            image,
            imageId,
            id,
            started);
      }
      case CONTAINER_EXITED -> {
        rec.currentContainerIds.put(c.name(), latest.getId());
        ContainerState.Terminated terminated = terminated(latest);
        if (wait != null) {
          // Waiting to restart: the exited attempt becomes lastState, as upstream shows it.
          rec.previousContainerIds.put(c.name(), latest.getId());
          return new ContainerStatus(
              c.name(),
              new ContainerState(wait, null, null),
              ContainerState.terminated(terminated),
              false,
              restartCount,
              image,
              imageId,
              id,
              false);
        }
        return new ContainerStatus(
            c.name(),
            ContainerState.terminated(terminated),
            lastState,
            false,
            restartCount,
            image,
            imageId,
            id,
            false);
      }
      default -> {
        if (lastState != null) {
          rec.currentContainerIds.put(c.name(), h.previous().getId());
        }
        return new ContainerStatus(
            c.name(), notStarted, lastState, false, restartCount, image, imageId, id, false);
      }
    }
  }

  static ContainerState.Terminated terminated(io.kubehop.cri.v1.ContainerStatus s) {
    String reason =
        !s.getReason().isEmpty() ? s.getReason() : (s.getExitCode() == 0 ? "Completed" : "Error");
    return new ContainerState.Terminated(
        s.getExitCode(),
        null,
        reason,
        s.getMessage().isEmpty() ? null : s.getMessage(),
        time(s.getStartedAt()),
        time(s.getFinishedAt()),
        ID_PREFIX + s.getId());
  }

  private static String time(long nanos) {
    return nanos <= 0 ? null : Times.format(Instant.ofEpochSecond(0, nanos));
  }

  /** Upstream's getPhase without init containers. */
  static String phase(Pod pod, List<ContainerStatus> statuses, PodStatus previous) {
    if (previous != null
        && (PodStatus.SUCCEEDED.equals(previous.phase())
            || PodStatus.FAILED.equals(previous.phase()))) {
      return previous.phase();
    }
    int running = 0;
    int waiting = 0;
    int stopped = 0;
    int succeeded = 0;
    for (ContainerStatus s : statuses) {
      if (s.state().running() != null) {
        running++;
      } else if (s.state().terminated() != null) {
        stopped++;
        if (s.state().terminated().exitCode() == 0) {
          succeeded++;
        }
      } else if (s.lastState() != null && s.lastState().terminated() != null) {
        stopped++;
      } else {
        waiting++;
      }
    }
    String policy = pod.spec().effectiveRestartPolicy();
    if (waiting > 0 || statuses.isEmpty()) {
      return PodStatus.PENDING;
    }
    if (running > 0) {
      return PodStatus.RUNNING;
    }
    if (PodSpec.RESTART_ALWAYS.equals(policy)) {
      return PodStatus.RUNNING;
    }
    if (stopped == succeeded) {
      return PodStatus.SUCCEEDED;
    }
    return PodSpec.RESTART_NEVER.equals(policy) ? PodStatus.FAILED : PodStatus.RUNNING;
  }

  private static List<PodCondition> conditions(
      Pod pod,
      boolean sandboxReady,
      List<ContainerStatus> statuses,
      String phase,
      PodStatus previous,
      Instant now) {
    List<String> unready = new ArrayList<>();
    for (ContainerStatus s : statuses) {
      if (!s.ready()) {
        unready.add(s.name());
      }
    }
    boolean completed = PodStatus.SUCCEEDED.equals(phase);
    String reason = unready.isEmpty() ? null : (completed ? "PodCompleted" : "ContainersNotReady");
    String message =
        unready.isEmpty() || completed ? null : "containers with unready status: " + unready;
    String ready = unready.isEmpty() ? "True" : "False";
    List<PodCondition> out = new ArrayList<>();
    out.add(
        condition(
            "PodReadyToStartContainers",
            sandboxReady ? "True" : "False",
            null,
            null,
            previous,
            now));
    out.add(
        condition("Initialized", "True", completed ? "PodCompleted" : null, null, previous, now));
    out.add(condition("Ready", ready, reason, message, previous, now));
    out.add(condition("ContainersReady", ready, reason, message, previous, now));
    out.add(condition("PodScheduled", "True", null, null, previous, now));
    return out;
  }

  /** A condition whose lastTransitionTime stays what it was while its status does not change. */
  private static PodCondition condition(
      String type, String status, String reason, String message, PodStatus previous, Instant now) {
    String transition = Times.format(now);
    if (previous != null && previous.conditions() != null) {
      for (PodCondition p : previous.conditions()) {
        if (type.equals(p.type()) && status.equals(p.status()) && p.lastTransitionTime() != null) {
          transition = p.lastTransitionTime();
        }
      }
    }
    return new PodCondition(type, status, null, transition, reason, message);
  }
}
