package io.kubehop.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A long-running command (e.g. {@code kubectl get pods -w}, {@code kubectl port-forward}) whose
 * output can be read while it runs. {@link #close()} stops it.
 */
public final class RunningCommand implements AutoCloseable {

  private final Process process;
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final Thread stdoutPump;
  private final Thread stderrPump;

  private RunningCommand(Process process) {
    this.process = process;
    this.stdoutPump = pump(process.getInputStream(), stdout);
    this.stderrPump = pump(process.getErrorStream(), stderr);
  }

  /**
   * Starts {@code command} with this process's environment changed by {@code env} (null values
   * remove).
   */
  public static RunningCommand start(List<String> command, Map<String, String> env) {
    ProcessBuilder builder = new ProcessBuilder(command);
    Commands.environment(builder.environment(), env);
    try {
      return new RunningCommand(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
    Thread pump =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  synchronized (sink) {
                    sink.write(buffer, 0, n);
                  }
                }
              } catch (IOException ignored) {
                // The process ended.
              }
            },
            "testkit-running-command");
    pump.setDaemon(true);
    pump.start();
    return pump;
  }

  public String stdout() {
    synchronized (stdout) {
      return stdout.toString(StandardCharsets.UTF_8);
    }
  }

  public String stderr() {
    synchronized (stderr) {
      return stderr.toString(StandardCharsets.UTF_8);
    }
  }

  /** Waits until stdout contains {@code text}; returns the whole stdout then. */
  public String awaitStdout(String text, Duration deadline) {
    return Await.value(
        "output containing \"" + text + "\"; stderr: " + stderr(),
        deadline,
        () -> stdout().contains(text) ? stdout() : null);
  }

  /**
   * Waits until the command has exited and its whole output has been read, so that {@link
   * #stdout()} and {@link #stderr()} hold its last bytes: the exit alone does not say the pumps
   * have drained the pipes. Returns false if that takes longer than {@code deadline}.
   */
  public boolean awaitExit(Duration deadline) throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    if (!process.waitFor(deadline.toNanos(), TimeUnit.NANOSECONDS)) {
      return false;
    }
    for (Thread pump : List.of(stdoutPump, stderrPump)) {
      pump.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
      if (pump.isAlive()) {
        return false;
      }
    }
    return true;
  }

  public Process process() {
    return process;
  }

  @Override
  public void close() {
    process.destroy();
  }
}
