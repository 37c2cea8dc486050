package io.kubehop.e2e.support;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import com.pty4j.WinSize;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Commands;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command run under a real pseudo-terminal of a chosen size, as a user's terminal runs kubectl:
 * what it prints can be awaited, keys typed, and the window resized (which sends SIGWINCH to the
 * command).
 */
public final class PtySession implements AutoCloseable {

  private final PtyProcess process;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final Thread pump;

  private PtySession(PtyProcess process) {
    this.process = process;
    pump = new Thread(this::pump, "e2e-pty");
    pump.setDaemon(true);
    pump.start();
  }

  /**
   * Starts {@code command} with this process's environment changed by {@code env} (null values
   * remove).
   */
  public static PtySession start(
      List<String> command, Map<String, String> env, int rows, int columns) {
    Map<String, String> environment = new HashMap<>(System.getenv());
    Commands.environment(environment, env);
    environment.put("TERM", "xterm");
    try {
      return new PtySession(
          new PtyProcessBuilder(command.toArray(String[]::new))
              .setEnvironment(environment)
              .setInitialRows(rows)
              .setInitialColumns(columns)
              .setRedirectErrorStream(true)
              .start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void pump() {
    byte[] buffer = new byte[8192];
    try (InputStream in = process.getInputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        synchronized (output) {
          output.write(buffer, 0, n);
        }
      }
    } catch (IOException ignored) {
      // The pty closes when the command ends.
    }
  }

  /** The command's process id. */
  public long pid() {
    return process.pid();
  }

  public String output() {
    synchronized (output) {
      return output.toString(StandardCharsets.UTF_8);
    }
  }

  /**
   * Waits until the output contains {@code text} after position {@code from}; returns the output's
   * length then.
   */
  public int await(String text, int from, Duration deadline) {
    return Await.value(
        "\"" + text + "\" on the terminal",
        deadline,
        () -> {
          String all = output();
          int at = all.indexOf(text, from);
          return at < 0 ? null : at + text.length();
        });
  }

  /**
   * Types {@code echo WORD-$((6*7))} at a shell prompt and waits for the shell's {@code WORD-42}
   * after {@code from} (the shell computed it, so it is not the terminal's echo of the keys);
   * returns where it ends. On a timeout the error shows the terminal.
   */
  public int echo(String word, int from, Duration deadline) {
    type("echo " + word + "-$((6*7))\r");
    try {
      return await(word + "-42", from, deadline);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; the terminal:\n" + output(), e);
    }
  }

  public void type(String keys) {
    try {
      process.getOutputStream().write(keys.getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Resizes the terminal; the kernel sends SIGWINCH to the command. */
  public void resize(int rows, int columns) {
    process.setWinSize(new WinSize(columns, rows));
  }

  /** Whether the command still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits for the command to exit and returns its exit code; by then {@link #output()} holds all it
   * wrote (the reader has met the terminal's end), unless a child of it still holds the terminal.
   */
  public int waitFor(Duration deadline) {
    try {
      long until = System.nanoTime() + deadline.toNanos();
      if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            "pty command still runs after " + deadline + "; output:\n" + output());
      }
      // The exit can come before the reader has taken the command's last line off the terminal.
      pump.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
