package io.kubehop.kubelet.prober;

import io.kubehop.api.core.Probe;
import java.time.Duration;
import java.time.Instant;

/**
 * The state of one probe of one container (upstream's prober {@code worker}, without its loop):
 * which container attempt it probes, the run of equal results, the published result, and whether it
 * is on hold (a liveness or startup probe that failed stops until the container is replaced). Pure
 * logic, driven by {@link ProbeManager}; confined to the kubelet's context.
 */
final class ProbeWorker {

  /** A probe's published result; none (null) until the first for an attempt. */
  enum Result {
    SUCCESS,
    FAILURE
  }

  /**
   * What the last sync saw of the container.
   *
   * @param containerId the CRI id of the current attempt (null before it is created)
   * @param running whether it runs
   * @param startedAt when it started (null unless running)
   */
  record ContainerView(String containerId, boolean running, Instant startedAt) {}

  final ProbeType type;
  final Probe probe;
  final String container;

  private String containerId;
  private Result result;
  private Result lastResult;
  private int resultRun;
  private boolean onHold;

  ProbeWorker(ProbeType type, Probe probe, String container) {
    this.type = type;
    this.probe = probe;
    this.container = container;
  }

  /**
   * Takes the container's state; true when the published result changed (a new attempt starts with
   * upstream's initial value: readiness Failure, liveness Success, startup none; a container that
   * is not running fails).
   */
  boolean observe(ContainerView view) {
    if (view == null || view.containerId() == null) {
      return false;
    }
    Result before = result;
    if (!view.containerId().equals(containerId)) {
      containerId = view.containerId();
      result = initialValue();
      lastResult = null;
      resultRun = 0;
      onHold = false;
    }
    if (!view.running()) {
      result = Result.FAILURE;
    }
    return before != result;
  }

  /**
   * Whether the handler should run now for {@code view}: not on hold, running, past the initial
   * delay, and gated by the startup probe ({@code started}): the startup probe runs only until the
   * container has started, the other two only after.
   */
  boolean shouldProbe(ContainerView view, boolean started, Instant now) {
    if (view == null
        || view.containerId() == null
        || !view.containerId().equals(containerId)
        || onHold
        || !view.running()) {
      return false;
    }
    if (type == ProbeType.STARTUP ? started : !started) {
      return false;
    }
    return view.startedAt() == null
        || Duration.between(view.startedAt(), now).getSeconds()
            >= probe.effectiveInitialDelaySeconds();
  }

  /**
   * Counts a handler's result for attempt {@code id}; publishes it once the success or failure
   * threshold is reached. True when the published result changed.
   */
  boolean record(String id, boolean success) {
    if (!id.equals(containerId) || onHold) {
      return false; // a result for an attempt that was replaced meanwhile
    }
    Result r = success ? Result.SUCCESS : Result.FAILURE;
    if (r == lastResult) {
      resultRun++;
    } else {
      lastResult = r;
      resultRun = 1;
    }
    if ((r == Result.FAILURE && resultRun < probe.effectiveFailureThreshold())
        || (r == Result.SUCCESS && resultRun < probe.effectiveSuccessThreshold())) {
      return false;
    }
    Result before = result;
    result = r;
    if (r == Result.FAILURE && type != ProbeType.READINESS) {
      // the container will be killed: stop probing it until it is replaced
      onHold = true;
      resultRun = 0;
    }
    return before != r;
  }

  /** The published result for attempt {@code id}, or null. */
  Result result(String id) {
    return id != null && id.equals(containerId) ? result : null;
  }

  String containerId() {
    return containerId;
  }

  private Result initialValue() {
    return switch (type) {
      case READINESS -> Result.FAILURE;
      case LIVENESS -> Result.SUCCESS;
      case STARTUP -> null;
    };
  }
}
