package io.kubehop.runtime.container;

import io.kubehop.cri.v1.ContainerConfig;
import io.kubehop.cri.v1.ContainerFilter;
import io.kubehop.cri.v1.PodSandboxState;
import io.kubehop.runtime.cri.CriErrors;
import io.kubehop.runtime.cri.Ids;
import io.kubehop.runtime.cri.Labels;
import io.kubehop.runtime.pod.PodSandbox;
import io.kubehop.runtime.pod.PodSandboxManager;
import io.kubehop.runtime.process.MonitoredProcess;
import io.kubehop.runtime.process.ProcessSession;
import io.kubehop.runtime.state.ProtoJson;
import io.kubehop.runtime.state.StateStore;
import io.kubehop.runtime.state.Tree;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Keeps the containers and drives their lifecycle: create, start (a real child process), stop
 * (SIGTERM, then SIGKILL after the timeout), remove, and the CRI list filters. Start is blocking
 * (fork/exec, files); stop and remove return futures that complete once the process is gone and its
 * output fully logged.
 */
public final class ContainerManager {

  private static final Logger LOG = Logger.getLogger(ContainerManager.class.getName());

  private final Map<String, Container> containers = new ConcurrentHashMap<>();

  /**
   * Reserved names, as containerd reserves {@code <container>_<pod>_<namespace>_<uid>_<attempt>}.
   */
  private final Map<String, String> names = new ConcurrentHashMap<>();

  private final PodSandboxManager sandboxes;
  private final StateStore store;
  private final Clock clock;
  private final ScheduledExecutorService timers;
  private final ContainerStarter starter;

  public ContainerManager(
      PodSandboxManager sandboxes, StateStore store, Clock clock, ScheduledExecutorService timers) {
    this.sandboxes = sandboxes;
    this.store = store;
    this.clock = clock;
    this.timers = timers;
    this.starter = new ContainerStarter(clock, sandboxes.isolation());
  }

  /** Creates a container in a READY sandbox. */
  public Container create(String sandboxId, ContainerConfig config) {
    if (!config.hasMetadata() || config.getMetadata().getName().isEmpty()) {
      throw CriErrors.invalidArgument("container config must include metadata with a name");
    }
    PodSandbox sandbox = sandboxes.get(sandboxId);
    if (sandbox.state() != PodSandboxState.SANDBOX_READY) {
      throw CriErrors.failedPrecondition("sandbox \"" + sandboxId + "\" is not ready");
    }
    String name = reservedName(config, sandbox);
    String id = Ids.newId();
    String existing = names.putIfAbsent(name, id);
    if (existing != null) {
      throw CriErrors.alreadyExists(
          "failed to reserve container name \""
              + name
              + "\": name \""
              + name
              + "\" is reserved for \""
              + existing
              + "\"");
    }
    Container container =
        new Container(id, sandboxId, config, Ids.nanos(clock), logPath(config, sandbox));
    containers.put(id, container);
    persist(container);
    LOG.info(
        "container "
            + Ids.shortId(id)
            + " created: "
            + name
            + " image="
            + config.getImage().getImage());
    return container;
  }

  /**
   * Starts a CREATED container's main process. Blocking. When the process cannot start, the
   * container is recorded as EXITED with code 128 and reason StartError, and the call fails (as
   * containerd's does).
   */
  public void start(String id) {
    Container container = get(id);
    PodSandbox sandbox = sandboxes.get(container.sandboxId());
    if (!container.claimStart()) {
      throw CriErrors.failedPrecondition(
          "container \""
              + id
              + "\" is in "
              + container.state()
              + " state, only a CONTAINER_CREATED container can be started");
    }
    try {
      ContainerStarter.Started started = starter.start(container, sandbox);
      container.markRunning(started.process(), started.context(), Ids.nanos(clock));
      started.process().exited().thenAccept(code -> onExit(container, code));
      LOG.info("container " + Ids.shortId(id) + " started pid=" + started.process().pid());
    } catch (ContainerStarter.StartException e) {
      container.markStartFailed(e.getMessage(), Ids.nanos(clock));
      persist(container);
      container.exitRecordedNow();
      LOG.warning("container " + Ids.shortId(id) + " failed to start: " + e.getMessage());
      throw CriErrors.unknown("failed to start container \"" + id + "\": " + e.getMessage());
    }
    persist(container);
  }

  private void onExit(Container container, int code) {
    container.markExited(code, Ids.nanos(clock));
    // what was exec'd in the container ends with it, as a PID namespace teardown would end it
    container.execSessions().forEach(ProcessSession::kill);
    // persist before completing: a RemoveContainer waiting on the exit then deletes the record
    // after this write
    persist(container);
    container.exitRecordedNow();
    LOG.info("container " + Ids.shortId(container.id()) + " exited code=" + code);
  }

  /**
   * Stops a container: SIGTERM, then SIGKILL (to it and its descendants) after {@code
   * timeoutSeconds}; with a timeout of 0 or less, SIGKILL at once. Completes when the container is
   * EXITED.
   */
  public CompletableFuture<Void> stop(String id, long timeoutSeconds) {
    return stop(get(id), timeoutSeconds);
  }

  private CompletableFuture<Void> stop(Container container, long timeoutSeconds) {
    MonitoredProcess process = container.process();
    if (process == null) {
      return CompletableFuture.completedFuture(null);
    }
    if (process.exited().isDone()) {
      return container.exitRecorded();
    }
    LOG.info(
        "container " + Ids.shortId(container.id()) + " stopping, timeout " + timeoutSeconds + "s");
    if (timeoutSeconds <= 0) {
      process.kill();
    } else {
      process.terminate();
      var killer =
          timers.schedule(
              () -> {
                if (!process.exited().isDone()) {
                  LOG.info(
                      "container "
                          + Ids.shortId(container.id())
                          + " ignored SIGTERM, sending SIGKILL");
                  process.kill();
                }
              },
              timeoutSeconds,
              TimeUnit.SECONDS);
      process.exited().whenComplete((code, error) -> killer.cancel(false));
    }
    return container.exitRecorded();
  }

  /**
   * Removes a container, killing it first when it still runs; unknown ids succeed (CRI:
   * idempotent).
   */
  public CompletableFuture<Void> remove(String id) {
    Container container = containers.get(id);
    if (container == null) {
      return CompletableFuture.completedFuture(null);
    }
    return stop(container, 0)
        .thenRun(
            () -> {
              if (containers.remove(id) != null) {
                names.values().remove(id);
                store.delete(StateStore.Kind.CONTAINERS, id);
                sandboxes.find(container.sandboxId()).ifPresent(s -> deleteRootfs(s, id));
                LOG.info("container " + Ids.shortId(id) + " removed");
              }
            });
  }

  /**
   * Deletes an isolated container's overlay directories (its writes). Its mounts lived only in its
   * own mount namespace, which ended with its last process, so nothing is mounted there any more.
   */
  private static void deleteRootfs(PodSandbox sandbox, String id) {
    Path dir = sandbox.podDir().resolve("containers").resolve(id);
    try {
      Tree.delete(dir);
    } catch (IOException e) {
      LOG.warning("could not delete the root of container " + Ids.shortId(id) + ": " + e);
    }
  }

  /** The container, or NOT_FOUND. */
  public Container get(String id) {
    Container container = id.isEmpty() ? null : containers.get(id);
    if (container == null) {
      throw CriErrors.notFound("container", id);
    }
    return container;
  }

  /** Containers matching the filter (all when it is empty), oldest first. */
  public List<Container> list(ContainerFilter filter) {
    return containers.values().stream()
        .filter(c -> filter.getId().isEmpty() || c.id().startsWith(filter.getId()))
        .filter(
            c ->
                filter.getPodSandboxId().isEmpty()
                    || c.sandboxId().startsWith(filter.getPodSandboxId()))
        .filter(c -> !filter.hasState() || c.state() == filter.getState().getState())
        .filter(c -> Labels.matches(filter.getLabelSelectorMap(), c.config().getLabelsMap()))
        .sorted(Comparator.comparingLong(Container::createdAt))
        .toList();
  }

  /** Stops every container of a sandbox with the given timeout. */
  public CompletableFuture<Void> stopSandbox(String sandboxId, long timeoutSeconds) {
    return CompletableFuture.allOf(
        containers.values().stream()
            .filter(c -> c.sandboxId().equals(sandboxId))
            .map(c -> stop(c, timeoutSeconds))
            .toArray(CompletableFuture[]::new));
  }

  /** Removes every container of a sandbox (killing those still running). */
  public CompletableFuture<Void> removeSandbox(String sandboxId) {
    return CompletableFuture.allOf(
        containers.values().stream()
            .filter(c -> c.sandboxId().equals(sandboxId))
            .map(c -> remove(c.id()))
            .toArray(CompletableFuture[]::new));
  }

  /**
   * Stops every container (SIGTERM, SIGKILL after the grace period): the runtime is shutting down.
   */
  public CompletableFuture<Void> stopAll(long graceSeconds) {
    return CompletableFuture.allOf(
        containers.values().stream()
            .map(c -> stop(c, graceSeconds))
            .toArray(CompletableFuture[]::new));
  }

  private void persist(Container container) {
    if (!containers.containsKey(container.id())) {
      return;
    }
    JsonObject record =
        new JsonObject()
            .put("status", ProtoJson.toJson(container.toStatus()))
            .put("podSandboxId", container.sandboxId())
            .put("pid", container.pid())
            .put("config", ProtoJson.toJson(container.config()));
    if (container.pid() > 0) {
      LeftoverProcesses.startedAt(container.pid())
          .ifPresent(started -> record.put(LeftoverProcesses.PROCESS_STARTED, started));
    }
    store.save(StateStore.Kind.CONTAINERS, container.id(), record);
  }

  private static Path logPath(ContainerConfig config, PodSandbox sandbox) {
    if (config.getLogPath().isEmpty()) {
      return null;
    }
    String dir = sandbox.config().getLogDirectory();
    Path base = dir.isEmpty() ? sandbox.podDir() : Path.of(dir);
    return base.resolve(config.getLogPath()).toAbsolutePath().normalize();
  }

  private static String reservedName(ContainerConfig config, PodSandbox sandbox) {
    var pod = sandbox.config().getMetadata();
    return config.getMetadata().getName()
        + "_"
        + pod.getName()
        + "_"
        + pod.getNamespace()
        + "_"
        + pod.getUid()
        + "_"
        + config.getMetadata().getAttempt();
  }
}
