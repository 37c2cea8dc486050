package io.kubehop.kubelet.pod;

import io.kubehop.api.core.Container;
import io.kubehop.api.core.ContainerState;
import io.kubehop.api.core.Pod;
import io.kubehop.api.core.PodSpec;
import io.kubehop.api.core.PodStatus;
import io.kubehop.api.util.GoDuration;
import io.kubehop.cri.v1.ContainerStatus;
import io.kubehop.cri.v1.CreateContainerRequest;
import io.kubehop.cri.v1.PodSandboxConfig;
import io.kubehop.cri.v1.RemoveContainerRequest;
import io.kubehop.cri.v1.RuntimeServiceClient;
import io.kubehop.cri.v1.StartContainerRequest;
import io.kubehop.cri.v1.StopContainerRequest;
import io.kubehop.kubelet.KubeletConfig;
import io.kubehop.kubelet.cri.CriConfigs;
import io.kubehop.kubelet.events.EventRecorder;
import io.kubehop.kubelet.events.Reasons;
import io.kubehop.kubelet.prober.ProbeManager;
import io.kubehop.kubelet.volume.ContainerMounts;
import io.kubehop.kubelet.volume.PodVolumes;
import io.kubehop.kubelet.volume.VolumeManager;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One sync of one pod (upstream's {@code SyncPod}): make sure the sandbox exists, start what should
 * run, restart what exited according to the restart policy and crash-loop backoff, then report the
 * status. A terminating pod is handed to {@link PodKiller}. Never called twice at once for one pod
 * ({@link PodWorker}).
 */
final class PodSyncer {

  private static final Logger LOG = Logger.getLogger(PodSyncer.class.getName());

  private final Vertx vertx;
  private final KubeletConfig config;
  private final RuntimeServiceClient cri;
  private final RuntimeObserver observer;
  private final SandboxManager sandboxes;
  private final PodKiller killer;
  private final PodStatusReporter reporter;
  private final CrashLoopBackOff backoff;
  private final VolumeManager volumes;
  private final EventRecorder events;
  private final ProbeManager probes;

  /** Asks for another sync of a pod after the given delay (ms): used when a backoff expires. */
  private final BiConsumer<PodRecord, Long> resyncLater;

  PodSyncer(
      Vertx vertx,
      KubeletConfig config,
      RuntimeServiceClient cri,
      PodStatusReporter reporter,
      BiConsumer<PodRecord, Long> resyncLater,
      EventRecorder events,
      ProbeManager probes) {
    this.vertx = vertx;
    this.config = config;
    this.cri = cri;
    this.observer = new RuntimeObserver(cri);
    this.sandboxes = new SandboxManager(vertx, config, cri);
    this.backoff =
        new CrashLoopBackOff(config.crashLoopBackOffBase(), config.crashLoopBackOffMax());
    this.killer = new PodKiller(cri, reporter.api(), observer, backoff, events);
    this.events = events;
    this.probes = probes;
    this.reporter = reporter;
    this.resyncLater = resyncLater;
    this.volumes =
        new VolumeManager(
            vertx,
            reporter.api(),
            config.podsDir(),
            Clock.systemUTC(),
            VolumeManager.DEFAULT_REFRESH);
  }

  VolumeManager volumes() {
    return volumes;
  }

  PodKiller killer() {
    return killer;
  }

  Future<Void> sync(PodRecord rec) {
    if (rec.terminating()) {
      probes.removePod(rec.uid());
      return killer.kill(rec).compose(v -> volumes.tearDown(rec.uid()));
    }
    // A volume that cannot be set up holds the pod's containers back (plan() sees no volumes),
    // as upstream's WaitForAttachAndMount; VolumeManager logs why.
    return volumes
        .setUp(rec.pod())
        .<Void>mapEmpty()
        .recover(e -> Future.succeededFuture())
        .compose(v -> sandboxes.ensure(rec))
        .compose(v -> observer.observe(rec.uid(), rec.sandboxId, rec.podIp))
        .compose(
            snap -> {
              Map<String, ContainerState.Waiting> waits = new HashMap<>();
              List<Supplier<Future<Void>>> actions = plan(rec, snap, waits, Instant.now());
              if (actions.isEmpty()) {
                return Future.succeededFuture(new Observed(snap, waits));
              }
              return runInOrder(actions)
                  .compose(v -> observer.observe(rec.uid(), rec.sandboxId, rec.podIp))
                  .map(after -> new Observed(after, waits));
            })
        .compose(
            obs -> {
              probes.update(rec.pod(), podIp(rec, obs.snapshot()), views(rec, obs.snapshot()));
              PodStatus status =
                  PodStatusBuilder.build(
                      rec, obs.snapshot(), obs.waits(), config.nodeIp(), Instant.now(), probes);
              rec.current = status;
              return reporter.report(rec, status);
            });
  }

  /** The address probes reach the pod at: its sandbox's, the node's with host networking. */
  private String podIp(PodRecord rec, PodSnapshot snap) {
    return Boolean.TRUE.equals(rec.pod().spec().hostNetwork()) ? config.nodeIp() : snap.podIp();
  }

  /** The current attempt of each container, for the prober. */
  private static Map<String, ProbeManager.ContainerView> views(PodRecord rec, PodSnapshot snap) {
    Map<String, ProbeManager.ContainerView> views = new HashMap<>();
    for (Container c : rec.pod().spec().containers()) {
      PodSnapshot.History h = snap.history(c.name());
      if (h != null && h.latest() != null) {
        ContainerStatus s = h.latest();
        boolean running = s.getState() == io.kubehop.cri.v1.ContainerState.CONTAINER_RUNNING;
        views.put(
            c.name(),
            new ProbeManager.ContainerView(
                s.getId(),
                running,
                running && s.getStartedAt() > 0
                    ? Instant.ofEpochSecond(0, s.getStartedAt())
                    : null));
      }
    }
    return views;
  }

  private record Observed(PodSnapshot snapshot, Map<String, ContainerState.Waiting> waits) {}

  /**
   * Decides what to do for each container; fills {@code waits} for containers held back by backoff.
   */
  private List<Supplier<Future<Void>>> plan(
      PodRecord rec, PodSnapshot snap, Map<String, ContainerState.Waiting> waits, Instant now) {
    Pod pod = rec.pod();
    boolean terminalInApi =
        pod.status() != null
            && (PodStatus.SUCCEEDED.equals(pod.status().phase())
                || PodStatus.FAILED.equals(pod.status().phase()));
    List<Supplier<Future<Void>>> actions = new ArrayList<>();
    boolean volumesReady = volumes.current(rec.uid()) != null;
    for (Container c : pod.spec().containers()) {
      PodSnapshot.History h = snap.history(c.name());
      if (h != null) {
        h.olderIds().forEach(id -> actions.add(() -> remove(id)));
      }
      if (h == null || h.latest() == null) {
        if (!terminalInApi && volumesReady) {
          actions.add(() -> attemptFromLogs(rec, c).compose(n -> createAndStart(rec, c, n, waits)));
        }
        continue;
      }
      ContainerStatus latest = h.latest();
      switch (latest.getState()) {
        case CONTAINER_CREATED -> actions.add(() -> start(rec, latest.getId(), c, waits));
        case CONTAINER_RUNNING -> {
          ProbeManager.Kill kill = probes.killReason(rec.uid(), c, latest.getId());
          if (kill != null) {
            actions.add(() -> killForProbe(rec, c, latest.getId(), kill));
          }
        }
        case CONTAINER_EXITED -> {
          if (terminalInApi
              || !volumesReady
              || !shouldRestart(pod.spec().effectiveRestartPolicy(), latest.getExitCode())) {
            continue;
          }
          String key = CrashLoopBackOff.key(rec.uid(), c.name());
          Instant finished =
              latest.getFinishedAt() > 0 ? Instant.ofEpochSecond(0, latest.getFinishedAt()) : now;
          if (backoff.isInBackOffSince(key, finished, now)) {
            events.record(
                EventRecorder.InvolvedObject.of(pod, c.name()),
                EventRecorder.WARNING,
                Reasons.BACK_OFF,
                Reasons.backOff(c.name(), pod.name(), pod.namespace(), rec.uid()));
            waits.put(
                c.name(),
                new ContainerState.Waiting(
                    "CrashLoopBackOff",
                    "back-off "
                        + GoDuration.format(backoff.get(key))
                        + " restarting failed container="
                        + c.name()
                        + " pod="
                        + pod.name()
                        + "_"
                        + pod.namespace()
                        + "("
                        + rec.uid()
                        + ")"));
            long delay = Duration.between(now, backoff.restartAllowedAt(key, finished)).toMillis();
            resyncLater.accept(rec, Math.max(1, delay + 1));
          } else {
            backoff.next(key, finished, now);
            int attempt = PodSnapshot.attempt(latest) + 1;
            actions.add(() -> createAndStart(rec, c, attempt, waits));
          }
        }
        default -> {}
      }
    }
    return actions;
  }

  /** A container's log file, as the runtime names it: {@code <restartCount>.log}. */
  private static final Pattern LOG_FILE = Pattern.compile("(\\d+)\\.log");

  /**
   * The attempt to create a container the runtime knows nothing of: 0 for a new pod, else one more
   * than the last log file in its log directory, as upstream's {@code calcRestartCountByLogDir}
   * does when a runtime has lost its containers (a restarted runtime, a rebooted node). The restart
   * count then goes on, and the new attempt writes a log file of its own.
   */
  private Future<Integer> attemptFromLogs(PodRecord rec, Container c) {
    String logDir =
        CriConfigs.sandboxConfig(rec.pod(), config.podLogsRoot(), 0).getLogDirectory()
            + "/"
            + c.name();
    return vertx
        .fileSystem()
        .exists(logDir)
        .compose(
            exists ->
                exists ? vertx.fileSystem().readDir(logDir) : Future.succeededFuture(List.of()))
        .map(
            files -> {
              int next = 0;
              for (String file : files) {
                Matcher m = LOG_FILE.matcher(Path.of(file).getFileName().toString());
                if (m.matches()) {
                  next = Math.max(next, Integer.parseInt(m.group(1)) + 1);
                }
              }
              return next;
            });
  }

  /** Upstream's ShouldContainerBeRestarted for an exited container. */
  static boolean shouldRestart(String policy, int exitCode) {
    return switch (policy) {
      case PodSpec.RESTART_NEVER -> false;
      case PodSpec.RESTART_ON_FAILURE -> exitCode != 0;
      default -> true;
    };
  }

  /**
   * Creates and starts attempt {@code attempt} of a container. A CRI failure does not fail the
   * sync: it becomes the container's waiting state (CreateContainerError, RunContainerError), as
   * upstream reports it, and the next sync tries again (a failed restart waits out the crash-loop
   * backoff first).
   */
  private Future<Void> createAndStart(
      PodRecord rec, Container c, int attempt, Map<String, ContainerState.Waiting> waits) {
    Pod pod = rec.pod();
    PodSandboxConfig sandboxConfig = CriConfigs.sandboxConfig(pod, config.podLogsRoot(), 0);
    String logDir = sandboxConfig.getLogDirectory() + "/" + c.name();
    LOG.info(
        "creating container "
            + c.name()
            + " attempt "
            + attempt
            + " of pod "
            + pod.namespace()
            + "/"
            + pod.name());
    // The kubelet creates the container's log directory; the runtime creates the file (as
    // upstream).
    EventRecorder.InvolvedObject ref = EventRecorder.InvolvedObject.of(pod, c.name());
    // the runtime has every image it runs: no pull, as with imagePullPolicy IfNotPresent
    events.record(ref, EventRecorder.NORMAL, Reasons.PULLED, Reasons.imagePresent(c.image()));
    PodVolumes podVolumes = volumes.current(rec.uid());
    return vertx
        .fileSystem()
        .mkdirs(logDir)
        .transform(
            dir ->
                dir.failed()
                    ? failedStep(rec, waits, c, "CreateContainerError", dir.cause())
                    : createWithMounts(rec, c, attempt, sandboxConfig, podVolumes, waits));
  }

  private Future<Void> createWithMounts(
      PodRecord rec,
      Container c,
      int attempt,
      PodSandboxConfig sandboxConfig,
      PodVolumes podVolumes,
      Map<String, ContainerState.Waiting> waits) {
    Pod pod = rec.pod();
    // Subpaths are created and resolved on disk: off the event loop.
    return vertx
        .executeBlocking(() -> ContainerMounts.build(c, podVolumes), false)
        .transform(
            mounts ->
                mounts.failed()
                    ? failedStep(rec, waits, c, "CreateContainerConfigError", mounts.cause())
                    : cri.createContainer(
                            CreateContainerRequest.newBuilder()
                                .setPodSandboxId(rec.sandboxId)
                                .setConfig(
                                    CriConfigs.containerConfig(pod, c, attempt, mounts.result()))
                                .setSandboxConfig(sandboxConfig)
                                .build())
                        .transform(
                            ar ->
                                ar.succeeded()
                                    ? recordCreated(
                                            EventRecorder.InvolvedObject.of(pod, c.name()), c)
                                        .compose(
                                            x -> start(rec, ar.result().getContainerId(), c, waits))
                                    : failedStep(
                                        rec, waits, c, "CreateContainerError", ar.cause())));
  }

  private Future<Void> start(
      PodRecord rec, String id, Container c, Map<String, ContainerState.Waiting> waits) {
    return cri.startContainer(StartContainerRequest.newBuilder().setContainerId(id).build())
        .<Void>mapEmpty()
        .onSuccess(
            v ->
                events.record(
                    EventRecorder.InvolvedObject.of(rec.pod(), c.name()),
                    EventRecorder.NORMAL,
                    Reasons.STARTED,
                    Reasons.started(c.name())))
        .recover(e -> failedStep(rec, waits, c, "RunContainerError", e));
  }

  private Future<Void> recordCreated(EventRecorder.InvolvedObject ref, Container c) {
    events.record(ref, EventRecorder.NORMAL, Reasons.CREATED, Reasons.created(c.name()));
    return Future.succeededFuture();
  }

  /**
   * Kills a running container whose liveness or startup probe failed (upstream's computePodActions
   * and killContainer), within the probe's terminationGracePeriodSeconds if set, else the pod's;
   * then asks for a sync, which restarts it per the restart policy and the crash-loop backoff.
   */
  private Future<Void> killForProbe(PodRecord rec, Container c, String id, ProbeManager.Kill kill) {
    Pod pod = rec.pod();
    boolean restart = !PodSpec.RESTART_NEVER.equals(pod.spec().effectiveRestartPolicy());
    events.record(
        EventRecorder.InvolvedObject.of(pod, c.name()),
        EventRecorder.NORMAL,
        Reasons.KILLING,
        Reasons.failedProbe(c.name(), kill.probe(), restart));
    io.kubehop.api.core.Probe probe =
        kill == ProbeManager.Kill.LIVENESS ? c.livenessProbe() : c.startupProbe();
    long grace =
        probe != null && probe.terminationGracePeriodSeconds() != null
            ? probe.terminationGracePeriodSeconds()
            : pod.spec().effectiveGracePeriodSeconds();
    LOG.info(
        "killing container "
            + c.name()
            + " of pod "
            + pod.namespace()
            + "/"
            + pod.name()
            + ": its "
            + kill.probe()
            + " probe failed");
    return cri.stopContainer(
            StopContainerRequest.newBuilder().setContainerId(id).setTimeout(grace).build())
        .<Void>mapEmpty()
        .onComplete(ar -> resyncLater.accept(rec, 1L));
  }

  private Future<Void> failedStep(
      PodRecord rec,
      Map<String, ContainerState.Waiting> waits,
      Container c,
      String reason,
      Throwable cause) {
    ContainerState.Waiting waiting = new ContainerState.Waiting(reason, cause.getMessage());
    boolean alreadyReported =
        rec.current != null
            && rec.current.containerStatuses().stream()
                .anyMatch(
                    s ->
                        s.name().equals(c.name())
                            && s.state() != null
                            && waiting.equals(s.state().waiting()));
    if (!alreadyReported) {
      events.record(
          EventRecorder.InvolvedObject.of(rec.pod(), c.name()),
          EventRecorder.WARNING,
          Reasons.FAILED,
          Reasons.failed(cause.getMessage()));
      LOG.warning(
          reason
              + " for container "
              + c.name()
              + " of pod "
              + rec.pod().namespace()
              + "/"
              + rec.pod().name()
              + ": "
              + cause.getMessage());
    }
    waits.put(c.name(), waiting);
    return Future.succeededFuture();
  }

  private Future<Void> remove(String id) {
    return cri.removeContainer(RemoveContainerRequest.newBuilder().setContainerId(id).build())
        .mapEmpty();
  }

  /**
   * Runs the actions one after the other; the first failure stops the chain (the next sync
   * retries).
   */
  private static Future<Void> runInOrder(List<Supplier<Future<Void>>> actions) {
    Future<Void> chain = Future.succeededFuture();
    for (Supplier<Future<Void>> a : actions) {
      chain = chain.compose(v -> a.get());
    }
    return chain;
  }
}
