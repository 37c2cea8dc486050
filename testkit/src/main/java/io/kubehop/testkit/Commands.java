package io.kubehop.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command to completion with a deadline, feeding stdin while it captures stdout and stderr
 * (a command that writes much while it reads would block on a full pipe otherwise).
 */
public final class Commands {

  /**
   * Blocking pipe readers need threads of their own: the common pool has one thread on a 2-core
   * machine.
   */
  private static final ExecutorService PIPES =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "testkit-pipe");
            t.setDaemon(true);
            return t;
          });

  private Commands() {
    throw new AssertionError("No instances.");
  }

  public static ProcessResult run(
      List<String> command, Map<String, String> env, byte[] stdin, Duration deadline) {
    return run(command, env, stdin, deadline, null);
  }

  /**
   * Runs {@code command} in {@code workDir} (null: this process's) with this process's environment
   * changed by {@code env} (see {@link #environment}); a command still running at {@code deadline}
   * is killed and fails the test.
   */
  public static ProcessResult run(
      List<String> command,
      Map<String, String> env,
      byte[] stdin,
      Duration deadline,
      Path workDir) {
    ProcessBuilder builder = new ProcessBuilder(command);
    environment(builder.environment(), env);
    if (workDir != null) {
      builder.directory(workDir.toFile());
    }
    try {
      Process process = builder.start();
      CompletableFuture<byte[]> out = drain(process.getInputStream());
      CompletableFuture<byte[]> err = drain(process.getErrorStream());
      CompletableFuture.runAsync(() -> feed(process.getOutputStream(), stdin), PIPES);
      if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new AssertionError(
            "command did not finish within "
                + deadline
                + ": "
                + command
                + "\n--- stdout so far ---\n"
                + new String(out.getNow(new byte[0]), StandardCharsets.UTF_8));
      }
      return new ProcessResult(
          process.exitValue(),
          new String(out.join(), StandardCharsets.UTF_8),
          new String(err.join(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Applies {@code changes} to {@code environment}: a value sets a variable, a {@code null} value
   * removes it.
   */
  public static void environment(Map<String, String> environment, Map<String, String> changes) {
    changes.forEach(
        (name, value) -> {
          if (value == null) {
            environment.remove(name);
          } else {
            environment.put(name, value);
          }
        });
  }

  private static CompletableFuture<byte[]> drain(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            return buffer.toByteArray();
          } catch (IOException e) {
            return new byte[0];
          }
        },
        PIPES);
  }

  private static void feed(OutputStream in, byte[] stdin) {
    try (in) {
      if (stdin != null) {
        in.write(stdin);
      }
    } catch (IOException ignored) {
      // The command may exit without reading its stdin; its exit code and output tell.
    }
  }
}
