package io.kubehop.runtime.streaming;

import io.kubehop.runtime.container.Container;
import io.kubehop.runtime.process.BoundedOutputQueue;
import io.kubehop.runtime.process.MonitoredProcess;
import io.kubehop.runtime.process.StdinWriter;
import io.kubehop.runtime.process.StreamType;
import io.kubehop.streaming.remotecommand.server.Executor;
import io.kubehop.streaming.remotecommand.server.RemoteCommandStreams;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One attach (kubelet's {@code Attacher}): joins the container's main process. Its output comes
 * through the process's broadcast (a bounded queue: a slow attacher slows the container, it never
 * grows a buffer), the client's stdin goes to the process's shared stdin when the container keeps
 * one open, and terminal sizes to its PTY. Any number of attachers may join; one that leaves
 * detaches without touching the process, except that with {@code stdin_once} the first attacher
 * with stdin to leave closes the process's stdin (Docker's and containerd's semantics). The session
 * ends with the process's exit code once it has exited and its output was delivered.
 */
final class AttachSession implements Executor {

  private static final Logger LOG = Logger.getLogger(AttachSession.class.getName());

  /** Output bytes waiting for this attacher before the container's output blocks. */
  static final int QUEUE_CAPACITY = 256 * 1024;

  private static final long POLL_MILLIS = 200;

  private final Vertx vertx;
  private final Container container;
  private final String name;
  private volatile boolean detached;

  AttachSession(Vertx vertx, Container container, String name) {
    this.vertx = vertx;
    this.container = container;
    this.name = name;
  }

  @Override
  public Future<Integer> execute(RemoteCommandStreams streams) {
    MonitoredProcess process = container.process();
    if (process == null) {
      return Future.failedFuture("container not running (" + container.id() + ")");
    }
    streams.processStarted(process.pid()); // the container's main process, for the inspector
    Context session = vertx.getOrCreateContext();
    MonitoredProcess.Attachment attachment = process.attach(QUEUE_CAPACITY);
    StreamSink stdout = new StreamSink(session, streams.stdout());
    StreamSink stderr = new StreamSink(session, streams.stderr());
    Promise<Void> outputEnded = Promise.promise();
    Thread pump =
        new Thread(() -> copy(attachment.output(), stdout, stderr, outputEnded), name + "-output");
    pump.setDaemon(true);
    pump.start();

    boolean stdinOnce = container.config().getStdinOnce();
    StdinWriter stdin = process.stdin();
    if (streams.stdin() != null) {
      StdinCopier.copy(vertx, streams.stdin(), stdin, stdinOnce);
    }
    if (process.tty()) {
      streams.resizeHandler(
          size -> {
            if (size.width() > 0 && size.height() > 0) {
              process.resize(size.width(), size.height());
            }
          });
    }
    streams
        .closeFuture()
        .onComplete(
            v -> {
              detached = true;
              stdout.close();
              stderr.close();
              closeQuietly(attachment);
              if (stdinOnce && streams.stdin() != null && stdin != null) {
                // stdin_once: the container's stdin ends with the first attach session that used it
                vertx.executeBlocking(
                    () -> {
                      stdin.close();
                      return null;
                    },
                    false);
              }
            });
    return outputEnded
        .future()
        .compose(
            v ->
                detached
                    ? Future.<Integer>failedFuture("detached")
                    : Future.fromCompletionStage(process.exited(), session))
        .onComplete(ar -> closeQuietly(attachment));
  }

  /**
   * Runs on the attacher's own thread: queue → client streams, until the output ends or the client
   * leaves.
   */
  private void copy(
      BoundedOutputQueue queue, StreamSink stdout, StreamSink stderr, Promise<Void> ended) {
    try {
      while (!detached) {
        BoundedOutputQueue.Chunk chunk = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (chunk == null) {
          continue;
        }
        if (chunk.chunk() == null) {
          break; // the process closed its output
        }
        StreamSink sink = chunk.stream() == StreamType.STDERR ? stderr : stdout;
        sink.write(chunk.chunk()); // false once the client left: the loop ends on detached
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, name + ": attach output failed: " + e, e);
    } finally {
      stdout.flushed().onComplete(ar -> stderr.flushed().onComplete(ar2 -> ended.tryComplete()));
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.log(Level.FINE, "detach failed: " + e, e);
    }
  }
}
