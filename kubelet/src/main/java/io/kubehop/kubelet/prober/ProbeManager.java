package io.kubehop.kubelet.prober;

import io.kubehop.api.core.Container;
import io.kubehop.api.core.Pod;
import io.kubehop.api.core.Probe;
import io.kubehop.kubelet.events.EventRecorder;
import io.kubehop.kubelet.events.Reasons;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The kubelet's prober manager (upstream's {@code pkg/kubelet/prober}): one worker per probe of
 * every container of the pods this kubelet runs, each on a Vert.x periodic timer of its {@code
 * periodSeconds} that runs the asynchronous handler (no event loop ever waits for a probe; a tick
 * that finds the previous run still going is skipped). Results decide a container's {@code started}
 * and {@code ready}; a liveness or startup probe that reaches its failure threshold marks the
 * container for the pod syncer to kill. A changed result asks for a sync of the pod. Every failed
 * run records an Unhealthy event. Confined to the kubelet's context; a pod's workers and timers go
 * when the pod is removed.
 */
public final class ProbeManager {

  private static final Logger LOG = Logger.getLogger(ProbeManager.class.getName());

  /** How much longer than its timeoutSeconds a handler may take before it counts as errored. */
  static final int HANDLER_GRACE_SECONDS = 5;

  /** Why a container must be killed. */
  public enum Kill {
    LIVENESS("liveness"),
    STARTUP("startup");

    private final String probe;

    Kill(String probe) {
      this.probe = probe;
    }

    /** {@code liveness} or {@code startup}, as the Killing message names it. */
    public String probe() {
      return probe;
    }
  }

  /** What a sync saw of a container: its current attempt, whether it runs, since when. */
  public record ContainerView(String containerId, boolean running, Instant startedAt) {}

  private final Vertx vertx;
  private final ProbeHandlers handlers;
  private final EventRecorder events;
  private final Consumer<String> resync;
  private final Clock clock;

  /** Per pod uid. */
  private final Map<String, PodProbes> pods = new HashMap<>();

  /**
   * @param resync asks for a sync of the pod with the given uid (a result changed)
   */
  public ProbeManager(
      Vertx vertx,
      ProbeHandlers handlers,
      EventRecorder events,
      Consumer<String> resync,
      Clock clock) {
    this.vertx = vertx;
    this.handlers = handlers;
    this.events = events;
    this.resync = resync;
    this.clock = clock;
  }

  private final class PodProbes {
    Pod pod;
    String podIp;
    final Map<String, Runner> runners = new HashMap<>();
    final Map<String, ProbeWorker.ContainerView> views = new HashMap<>();
  }

  /** One worker and its timer. */
  private final class Runner {
    final PodProbes owner;
    final ProbeWorker worker;
    final long timer;
    boolean inFlight;
    boolean stopped;

    Runner(PodProbes owner, ProbeWorker worker) {
      this.owner = owner;
      this.worker = worker;
      this.timer = vertx.setPeriodic(worker.probe.effectivePeriodSeconds() * 1000L, id -> tick());
    }

    void stop() {
      stopped = true;
      vertx.cancelTimer(timer);
    }

    void tick() {
      if (stopped || inFlight) {
        return;
      }
      Pod pod = owner.pod;
      ProbeWorker.ContainerView view = owner.views.get(worker.container);
      Container c = pod.spec().container(worker.container).orElse(null);
      if (c == null || view == null) {
        return;
      }
      boolean started = started(owner, c, view.containerId());
      if (!worker.shouldProbe(view, started, clock.instant())) {
        return;
      }
      String id = view.containerId();
      inFlight = true;
      Future<ProbeOutcome> run;
      try {
        // The handlers end themselves at timeoutSeconds; the cap keeps a runtime that never answers
        // an ExecSync from holding this worker forever.
        run =
            handlers
                .run(worker.probe, c, owner.podIp, id)
                .timeout(
                    worker.probe.effectiveTimeoutSeconds() + HANDLER_GRACE_SECONDS,
                    TimeUnit.SECONDS);
      } catch (RuntimeException e) {
        run = Future.failedFuture(e);
      }
      run.onComplete(
          ar -> {
            inFlight = false;
            if (stopped) {
              return;
            }
            boolean success = ar.succeeded() && ar.result().success();
            if (!success) {
              String message =
                  ar.succeeded()
                      ? worker.type.display() + " probe failed: " + ar.result().output()
                      : worker.type.display() + " probe errored: " + ar.cause().getMessage();
              events.record(
                  EventRecorder.InvolvedObject.of(owner.pod, worker.container),
                  EventRecorder.WARNING,
                  Reasons.UNHEALTHY,
                  message);
            }
            if (worker.record(id, success)) {
              LOG.fine(
                  () ->
                      worker.type.display()
                          + " probe of "
                          + pod.namespace()
                          + "/"
                          + pod.name()
                          + ":"
                          + worker.container
                          + " now "
                          + worker.result(id));
              if (worker.type == ProbeType.STARTUP && success) {
                triggerReadiness(owner, worker.container);
              }
              resync.accept(pod.metadata().uid());
            }
          });
    }
  }

  /**
   * Takes what a sync saw of a pod: creates the workers of its probes on first sight and hands them
   * the containers' current attempts. A worker whose container got a new attempt probes it at once.
   */
  public void update(Pod pod, String podIp, Map<String, ContainerView> containers) {
    String uid = pod.metadata().uid();
    PodProbes p = pods.get(uid);
    if (p == null) {
      if (!hasProbes(pod)) {
        return;
      }
      p = new PodProbes();
      pods.put(uid, p);
      for (Container c : pod.spec().containers()) {
        add(p, ProbeType.STARTUP, c.startupProbe(), c.name());
        add(p, ProbeType.READINESS, c.readinessProbe(), c.name());
        add(p, ProbeType.LIVENESS, c.livenessProbe(), c.name());
      }
    }
    p.pod = pod;
    p.podIp = podIp;
    boolean changed = false;
    for (Runner r : p.runners.values()) {
      ContainerView v = containers.get(r.worker.container);
      ProbeWorker.ContainerView view =
          v == null
              ? null
              : new ProbeWorker.ContainerView(v.containerId(), v.running(), v.startedAt());
      if (view != null) {
        p.views.put(r.worker.container, view);
      }
      String before = r.worker.containerId();
      changed |= r.worker.observe(view);
      if (view != null && view.running() && !view.containerId().equals(before)) {
        vertx.runOnContext(x -> r.tick());
      }
    }
    if (changed) {
      resync.accept(uid);
    }
  }

  private void add(PodProbes p, ProbeType type, Probe probe, String container) {
    if (probe != null) {
      p.runners.put(container + "/" + type, new Runner(p, new ProbeWorker(type, probe, container)));
    }
  }

  private static boolean hasProbes(Pod pod) {
    return pod.spec().containers().stream()
        .anyMatch(
            c ->
                c.startupProbe() != null
                    || c.readinessProbe() != null
                    || c.livenessProbe() != null);
  }

  /** Stops and forgets the workers of a pod (it is being deleted or is gone). */
  public void removePod(String uid) {
    PodProbes p = pods.remove(uid);
    if (p != null) {
      p.runners.values().forEach(Runner::stop);
    }
  }

  /** The workers running, for tests that check nothing leaks. */
  public int workers() {
    return pods.values().stream().mapToInt(p -> p.runners.size()).sum();
  }

  /**
   * Whether a running container has started: always without a startup probe, else once it
   * succeeded.
   */
  public boolean started(String uid, Container c, String containerId) {
    PodProbes p = pods.get(uid);
    return p == null || started(p, c, containerId);
  }

  private static boolean started(PodProbes p, Container c, String containerId) {
    Runner r = p.runners.get(c.name() + "/" + ProbeType.STARTUP);
    return r == null || r.worker.result(containerId) == ProbeWorker.Result.SUCCESS;
  }

  /**
   * Whether a running, started container is ready: always without a readiness probe, else once it
   * succeeded (upstream's initial readiness is failure).
   */
  public boolean ready(String uid, Container c, String containerId) {
    PodProbes p = pods.get(uid);
    if (p == null) {
      return true;
    }
    Runner r = p.runners.get(c.name() + "/" + ProbeType.READINESS);
    return r == null || r.worker.result(containerId) == ProbeWorker.Result.SUCCESS;
  }

  /** Why a running container must be killed, or null: its liveness or startup probe failed. */
  public Kill killReason(String uid, Container c, String containerId) {
    PodProbes p = pods.get(uid);
    if (p == null) {
      return null;
    }
    Runner live = p.runners.get(c.name() + "/" + ProbeType.LIVENESS);
    if (live != null && live.worker.result(containerId) == ProbeWorker.Result.FAILURE) {
      return Kill.LIVENESS;
    }
    Runner startup = p.runners.get(c.name() + "/" + ProbeType.STARTUP);
    if (startup != null && startup.worker.result(containerId) == ProbeWorker.Result.FAILURE) {
      return Kill.STARTUP;
    }
    return null;
  }

  /** A container just started: its readiness is probed at once rather than a period later. */
  private void triggerReadiness(PodProbes p, String container) {
    Runner r = p.runners.get(container + "/" + ProbeType.READINESS);
    if (r != null) {
      vertx.runOnContext(x -> r.tick());
    }
  }

  /** Stops every worker (the kubelet stops). */
  public void stop() {
    pods.values().forEach(p -> p.runners.values().forEach(Runner::stop));
    pods.clear();
  }
}
