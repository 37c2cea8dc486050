package io.kubehop.streaming.remotecommand.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Test executor: runs the command with {@link ProcessBuilder} (no tty). Process I/O runs on its own
 * threads; stdout and stderr chunks are written one at a time (each waits for its write), and stdin
 * is paused while a chunk is being written to the process, so nothing is buffered without bound.
 */
public final class ProcessExecutor implements Executor {

  private final Vertx vertx;
  private final List<String> command;

  public ProcessExecutor(Vertx vertx, List<String> command) {
    this.vertx = vertx;
    this.command = command;
  }

  @Override
  public Future<Integer> execute(RemoteCommandStreams streams) {
    return vertx.executeBlocking(
        () -> {
          Process process = new ProcessBuilder(command).start();
          streams
              .closeFuture()
              .onComplete(v -> process.destroy()); // the client went away: stop the command
          ExecutorService stdinWriter = Executors.newSingleThreadExecutor();
          try {
            pipeStdin(streams, process, stdinWriter);
            Thread out = pump(process.getInputStream(), streams.stdout());
            Thread err = pump(process.getErrorStream(), streams.stderr());
            int code = process.waitFor();
            out.join();
            err.join();
            return code;
          } finally {
            stdinWriter.shutdownNow();
          }
        },
        false);
  }

  private static void pipeStdin(
      RemoteCommandStreams streams, Process process, ExecutorService writer) throws IOException {
    OutputStream in = process.getOutputStream();
    if (streams.stdin() == null) {
      in.close();
      return;
    }
    streams
        .stdin()
        .handler(
            buf -> {
              streams.stdin().pause();
              writer.execute(
                  () -> {
                    try {
                      in.write(buf.getBytes());
                      in.flush();
                    } catch (IOException e) {
                      // the process is gone; drop its input
                    }
                    streams.stdin().resume();
                  });
            });
    streams
        .stdin()
        .endHandler(
            v ->
                writer.execute(
                    () -> {
                      try {
                        in.close(); // stdin EOF reaches the process
                      } catch (IOException ignored) {
                        // already closed
                      }
                    }));
    streams.stdin().resume();
  }

  private static Thread pump(InputStream from, WriteStream<Buffer> to) {
    Thread t =
        new Thread(
            () -> {
              byte[] chunk = new byte[32 * 1024];
              try (from) {
                int n;
                while ((n = from.read(chunk)) > 0) {
                  if (to != null) {
                    to.write(Buffer.buffer().appendBytes(chunk, 0, n))
                        .toCompletionStage()
                        .toCompletableFuture()
                        .join();
                  }
                }
              } catch (Exception e) {
                // stream closed by the peer; the exit status still goes out
              }
            },
            "process-pump");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
