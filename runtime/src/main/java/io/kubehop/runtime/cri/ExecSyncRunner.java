package io.kubehop.runtime.cri;

import com.google.protobuf.ByteString;
import io.kubehop.cri.v1.ExecSyncRequest;
import io.kubehop.cri.v1.ExecSyncResponse;
import io.kubehop.runtime.container.Container;
import io.kubehop.runtime.container.ContainerContext;
import io.kubehop.runtime.container.ContainerExec;
import io.kubehop.runtime.process.LaunchedProcess;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The blocking body of CRI ExecSync: one command in a container's context, output collected. */
final class ExecSyncRunner {

  /** Output kept per stream; a probe's command never needs more (upstream caps at 16 MiB). */
  private static final int MAX_OUTPUT = 1024 * 1024;

  /** After the exit, how long output still held open by a background child is waited for. */
  private static final long DRAIN_MILLIS = 1000;

  private ExecSyncRunner() {
    throw new AssertionError("No instances.");
  }

  static ExecSyncResponse run(Container container, ExecSyncRequest request) throws Exception {
    ContainerContext context = container.context();
    if (context == null) {
      throw CriErrors.failedPrecondition("container not running (" + container.id() + ")");
    }
    List<String> argv = request.getCmdList();
    Optional<LaunchedProcess> started = ContainerExec.start(context, argv, false, false, 0, 0);
    if (started.isEmpty()) {
      // what a shell answers for a missing command, as streaming exec does
      return ExecSyncResponse.newBuilder()
          .setStderr(
              ByteString.copyFromUtf8(
                  "exec: \"" + argv.get(0) + "\": executable file not found in $PATH\n"))
          .setExitCode(127)
          .build();
    }
    LaunchedProcess process = started.get();
    if (!container.execStarted(process.pid())) {
      kill(process.pid());
      throw CriErrors.failedPrecondition("container not running (" + container.id() + ")");
    }
    try {
      Collector out = new Collector(process.stdout(), "execsync-stdout");
      Collector err = new Collector(process.stderr(), "execsync-stderr");
      int exit;
      try {
        exit =
            request.getTimeout() > 0
                ? process.onExit().get(request.getTimeout(), TimeUnit.SECONDS)
                : process.onExit().get();
      } catch (TimeoutException e) {
        kill(process.pid());
        throw new StatusException(
            GrpcStatus.DEADLINE_EXCEEDED,
            "command \""
                + String.join(" ", request.getCmdList())
                + "\" timed out after "
                + request.getTimeout()
                + "s");
      }
      return ExecSyncResponse.newBuilder()
          .setStdout(ByteString.copyFrom(out.take()))
          .setStderr(ByteString.copyFrom(err.take()))
          .setExitCode(exit)
          .build();
    } finally {
      container.execEnded(process.pid());
    }
  }

  /** Kills the process and everything it started. */
  private static void kill(long pid) {
    ProcessHandle.of(pid)
        .ifPresent(
            p -> {
              p.descendants().forEach(ProcessHandle::destroyForcibly);
              p.destroyForcibly();
            });
  }

  /** Reads one output stream on its own thread, so that neither pipe can fill and block. */
  private static final class Collector {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Thread thread;

    Collector(InputStream in, String name) {
      thread =
          new Thread(
              () -> {
                byte[] buf = new byte[8192];
                try (in) {
                  int n;
                  while ((n = in.read(buf)) >= 0) {
                    synchronized (bytes) {
                      if (bytes.size() < MAX_OUTPUT) {
                        bytes.write(buf, 0, Math.min(n, MAX_OUTPUT - bytes.size()));
                      }
                    }
                  }
                } catch (IOException e) {
                  // the process is gone: keep what was read
                }
              },
              name);
      thread.setDaemon(true);
      thread.start();
    }

    byte[] take() throws InterruptedException {
      thread.join(DRAIN_MILLIS);
      synchronized (bytes) {
        return bytes.toByteArray();
      }
    }
  }
}
