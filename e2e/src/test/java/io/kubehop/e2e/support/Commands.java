package io.kubehop.e2e.support;

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

/** Runs a command to completion with a deadline, feeding stdin and capturing stdout and stderr. */
public final class Commands {

  /** Blocking pipe readers need threads of their own: the common pool has one thread on a 2-core machine. */
  private static final ExecutorService PIPES = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "e2e-pipe");
    t.setDaemon(true);
    return t;
  });

  private Commands() {
    throw new AssertionError("No instances.");
  }

  public static ProcessResult run(List<String> command, Map<String, String> env, byte[] stdin, Duration deadline) {
    return run(command, env, stdin, deadline, null);
  }

  public static ProcessResult run(
      List<String> command, Map<String, String> env, byte[] stdin, Duration deadline, Path workDir) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
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
        throw new AssertionError("command did not finish within " + deadline + ": " + command
            + "\n--- stdout so far ---\n" + new String(out.getNow(new byte[0]), StandardCharsets.UTF_8));
      }
      return new ProcessResult(process.exitValue(),
          new String(out.join(), StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static CompletableFuture<byte[]> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        in.transferTo(buffer);
        return buffer.toByteArray();
      } catch (IOException e) {
        return new byte[0];
      }
    }, PIPES);
  }

  private static void feed(OutputStream in, byte[] stdin) {
    try (in) {
      if (stdin != null) {
        in.write(stdin);
      }
    } catch (IOException ignored) {
      // The command may exit without reading its stdin.
    }
  }
}
