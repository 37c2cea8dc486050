package io.kubehop.runtime.process;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A launched process plus the threads that pump its output into an {@link OutputFanout}. {@link
 * #exited()} completes only after the process has exited AND its pipes were read to the end, so the
 * tail of the output is in every listener (the log file) before anyone learns that the process is
 * gone.
 */
public final class MonitoredProcess {

  private static final Logger LOG = Logger.getLogger(MonitoredProcess.class.getName());
  private static final int CHUNK_SIZE = 32 * 1024;

  /**
   * How long to keep reading after the process exited. A background child that inherited the pipes
   * can keep them open forever; the exit is reported after this even though such a child may still
   * write.
   */
  private static final long DRAIN_GRACE_MILLIS = 2000;

  private final LaunchedProcess process;
  private final OutputFanout fanout = new OutputFanout();
  private final CompletableFuture<Integer> exited = new CompletableFuture<>();
  private final StdinWriter stdin;

  private MonitoredProcess(LaunchedProcess process) {
    this.process = process;
    this.stdin = process.stdin() == null ? null : new StdinWriter(process.stdin(), process.tty());
  }

  /**
   * Starts pumping the process's output; listeners given here see all of it.
   *
   * @param endsSession kill the rest of the process's session when it exits: true for a container's
   *     main process (its exit ends the container), false for an exec'd process (what it starts
   *     lives on in the container)
   */
  public static MonitoredProcess start(
      LaunchedProcess process, String name, List<OutputListener> listeners, boolean endsSession) {
    MonitoredProcess monitored = new MonitoredProcess(process);
    listeners.forEach(monitored.fanout::subscribe);
    monitored.pump(name, endsSession);
    return monitored;
  }

  private void pump(String name, boolean endsSession) {
    List<CompletableFuture<Void>> drained = new ArrayList<>();
    drained.add(startPump(name + "-stdout", process.stdout(), StreamType.STDOUT));
    if (process.stderr() != null) {
      drained.add(startPump(name + "-stderr", process.stderr(), StreamType.STDERR));
    }
    CompletableFuture<Void> allDrained =
        CompletableFuture.allOf(drained.toArray(CompletableFuture[]::new));
    process
        .onExit()
        .thenAccept(
            code -> {
              // the container's PID 1 is gone: end what it left behind, as the PID namespace
              // teardown would (this
              // also closes the pipes such orphans hold, so the drain below ends promptly)
              if (endsSession) {
                ProcessSession.kill(process.pid());
              }
              finishAfterDrain(name, code, allDrained);
            });
  }

  private void finishAfterDrain(String name, int code, CompletableFuture<Void> allDrained) {
    allDrained
        .copy()
        .completeOnTimeout(null, DRAIN_GRACE_MILLIS, TimeUnit.MILLISECONDS)
        .whenComplete(
            (ignored, error) -> {
              if (!allDrained.isDone()) {
                LOG.warning(
                    name
                        + ": output still open "
                        + DRAIN_GRACE_MILLIS
                        + "ms after exit (a child holds it)");
              }
              fanout.end();
              exited.complete(code);
            });
  }

  private CompletableFuture<Void> startPump(String threadName, InputStream in, StreamType stream) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[CHUNK_SIZE];
              try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  if (n > 0) {
                    fanout.publish(stream, Arrays.copyOf(buffer, n));
                  }
                }
              } catch (IOException e) {
                // a PTY master reports EIO once the terminal is gone: that is its end of file
                LOG.log(Level.FINE, threadName + " ended: " + e);
              } finally {
                done.complete(null);
              }
            },
            threadName);
    thread.setDaemon(true);
    thread.start();
    return done;
  }

  /** The OS process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the process runs on a pseudo-terminal. */
  public boolean tty() {
    return process.tty();
  }

  /** The process's stdin, shared by attachers; null when it reads /dev/null. */
  public StdinWriter stdin() {
    return stdin;
  }

  /**
   * Joins the output from now on through a queue of at most {@code capacityBytes} (an attacher).
   * Closing the result detaches without affecting the process or the other listeners.
   */
  public Attachment attach(int capacityBytes) {
    BoundedOutputQueue queue = new BoundedOutputQueue(capacityBytes);
    AutoCloseable subscription = fanout.subscribe(queue);
    return new Attachment(
        queue,
        () -> {
          queue.close();
          subscription.close();
        });
  }

  /** An attached reader of the output: poll {@link #output()}, close to detach. */
  public record Attachment(BoundedOutputQueue output, AutoCloseable detach)
      implements AutoCloseable {
    @Override
    public void close() throws Exception {
      detach.close();
    }
  }

  /** The output broadcast: subscribe to receive the output from now on. */
  public OutputFanout output() {
    return fanout;
  }

  /** Sets the terminal size; nothing without a TTY. */
  public void resize(int columns, int rows) {
    process.resize(columns, rows);
  }

  /** Completes with the exit code once the process exited and its output was read to the end. */
  public CompletableFuture<Integer> exited() {
    return exited;
  }

  /** Sends SIGTERM to the process (not to its children: a container's PID 1 decides what to do). */
  public void terminate() {
    ProcessHandle.of(process.initPid()).ifPresent(ProcessHandle::destroy);
  }

  /**
   * Sends SIGKILL to the process, every descendant it has and every other member of its session, as
   * tearing down a container's PID namespace would.
   */
  public void kill() {
    ProcessHandle.of(process.pid())
        .ifPresent(
            handle -> {
              List<ProcessHandle> tree =
                  Stream.concat(Stream.of(handle), handle.descendants()).toList();
              tree.forEach(ProcessHandle::destroyForcibly);
            });
    ProcessSession.kill(process.pid());
  }
}
