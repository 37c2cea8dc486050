package io.kubehop.runtime.container;

import io.kubehop.cri.v1.ContainerConfig;
import io.kubehop.cri.v1.ContainerState;
import io.kubehop.cri.v1.ContainerStatus;
import io.kubehop.runtime.process.MonitoredProcess;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One container: its config and sandbox, its state (CREATED → RUNNING → EXITED, as the CRI reports
 * it), and while it runs, its main process and context. State changes are synchronized on the
 * object.
 */
public final class Container {

  /** Exit code containerd reports for a container whose process could not be started. */
  public static final int START_ERROR_EXIT_CODE = 128;

  private final String id;
  private final String sandboxId;
  private final ContainerConfig config;
  private final long createdAt;
  private final Path logPath;
  private ContainerState state = ContainerState.CONTAINER_CREATED;
  private long startedAt;
  private long finishedAt;
  private int exitCode;
  private String reason = "";
  private String message = "";
  private MonitoredProcess process;
  private boolean starting;
  private ContainerContext context;
  private final CompletableFuture<Void> exitRecorded = new CompletableFuture<>();

  /** Sessions (= pids of their leaders) of processes exec'd in this container and still running. */
  private final Set<Long> execSessions = new HashSet<>();

  Container(String id, String sandboxId, ContainerConfig config, long createdAt, Path logPath) {
    this.id = id;
    this.sandboxId = sandboxId;
    this.config = config;
    this.createdAt = createdAt;
    this.logPath = logPath;
  }

  public String id() {
    return id;
  }

  public String sandboxId() {
    return sandboxId;
  }

  public ContainerConfig config() {
    return config;
  }

  /** Creation time, nanoseconds since the epoch. */
  public long createdAt() {
    return createdAt;
  }

  /** The absolute log path, or null when the container has none. */
  public Path logPath() {
    return logPath;
  }

  public synchronized ContainerState state() {
    return state;
  }

  /** The main process while it runs (kept after exit for late readers), else null. */
  public synchronized MonitoredProcess process() {
    return process;
  }

  /** The context the main process runs in (null before start): what an exec reuses. */
  public synchronized ContainerContext context() {
    return context;
  }

  /**
   * Claims the one start of a CREATED container; false when it was started (or is starting)
   * already. The launch itself then happens without holding this lock, so status calls never wait
   * for a fork.
   */
  synchronized boolean claimStart() {
    if (state != ContainerState.CONTAINER_CREATED || starting) {
      return false;
    }
    starting = true;
    return true;
  }

  synchronized void markRunning(
      MonitoredProcess process, ContainerContext context, long startedAt) {
    this.process = process;
    this.context = context;
    this.startedAt = startedAt;
    this.state = ContainerState.CONTAINER_RUNNING;
  }

  /**
   * Records a process exec'd in this container, so that it dies with the container as it would with
   * a PID namespace; false when the container is no longer running (the caller must then end the
   * process itself).
   */
  public synchronized boolean execStarted(long pid) {
    if (state != ContainerState.CONTAINER_RUNNING) {
      return false;
    }
    execSessions.add(pid);
    return true;
  }

  /** Forgets an exec'd process that has ended. */
  public synchronized void execEnded(long pid) {
    execSessions.remove(pid);
  }

  /** The exec'd processes still recorded (their session ids). */
  synchronized List<Long> execSessions() {
    return List.copyOf(execSessions);
  }

  synchronized void markExited(int exitCode, long finishedAt) {
    this.exitCode = exitCode;
    this.finishedAt = finishedAt;
    this.reason = exitCode == 0 ? "Completed" : "Error";
    this.state = ContainerState.CONTAINER_EXITED;
  }

  synchronized void markStartFailed(String message, long finishedAt) {
    this.exitCode = START_ERROR_EXIT_CODE;
    this.finishedAt = finishedAt;
    this.reason = "StartError";
    this.message = message;
    this.state = ContainerState.CONTAINER_EXITED;
  }

  /**
   * Completes once the container is recorded as EXITED (its process gone, its output fully logged):
   * what StopContainer waits for. The manager completes it after persisting the EXITED record.
   * Never completes for a container that was not started.
   */
  public CompletableFuture<Void> exitRecorded() {
    return exitRecorded.copy();
  }

  void exitRecordedNow() {
    exitRecorded.complete(null);
  }

  /** The CRI status. */
  public synchronized ContainerStatus toStatus() {
    ContainerStatus.Builder status =
        ContainerStatus.newBuilder()
            .setId(id)
            .setMetadata(config.getMetadata())
            .setState(state)
            .setCreatedAt(createdAt)
            .setStartedAt(startedAt)
            .setFinishedAt(finishedAt)
            .setExitCode(exitCode)
            .setImage(config.getImage())
            .setImageRef(config.getImage().getImage())
            .setImageId(config.getImage().getImage())
            .setReason(reason)
            .setMessage(message)
            .putAllLabels(config.getLabelsMap())
            .putAllAnnotations(config.getAnnotationsMap());
    if (logPath != null) {
      status.setLogPath(logPath.toString());
    }
    return status.build();
  }

  /** The CRI list item. */
  public synchronized io.kubehop.cri.v1.Container toListItem() {
    return io.kubehop.cri.v1.Container.newBuilder()
        .setId(id)
        .setPodSandboxId(sandboxId)
        .setMetadata(config.getMetadata())
        .setImage(config.getImage())
        .setImageRef(config.getImage().getImage())
        .setImageId(config.getImage().getImage())
        .setState(state)
        .setCreatedAt(createdAt)
        .putAllLabels(config.getLabelsMap())
        .putAllAnnotations(config.getAnnotationsMap())
        .build();
  }

  /** The OS pid of the main process, or 0. */
  public synchronized long pid() {
    return process == null ? 0 : process.pid();
  }
}
