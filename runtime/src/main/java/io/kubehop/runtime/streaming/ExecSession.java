package io.kubehop.runtime.streaming;

import io.kubehop.cri.v1.ContainerState;
import io.kubehop.runtime.container.Container;
import io.kubehop.runtime.container.ContainerContext;
import io.kubehop.runtime.container.ContainerExec;
import io.kubehop.runtime.cri.Ids;
import io.kubehop.runtime.process.LaunchedProcess;
import io.kubehop.runtime.process.ProcessSession;
import io.kubehop.runtime.process.StdinWriter;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.TerminalSize;
import io.kubehop.streaming.remotecommand.server.Executor;
import io.kubehop.streaming.remotecommand.server.RemoteCommandStreams;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * One exec (kubelet's {@code Executor}): starts a real process in the container's context (its
 * environment, working directory, hostname and pod IP), wires the session's streams to it, and
 * reports its exit code once its output was fully delivered. With a TTY the process gets a
 * pseudo-terminal of the client's initial size; without, three pipes. A client that goes away first
 * gets the process (and what it started) killed.
 */
final class ExecSession implements Executor {

  private static final Logger LOG = Logger.getLogger(ExecSession.class.getName());

  /**
   * How long to wait for the client's first terminal size before starting with the default size.
   */
  static final Duration INITIAL_SIZE_WAIT = Duration.ofSeconds(1);

  /**
   * After the exit, output still open but silent this long belongs to a background child: stop
   * waiting for it.
   */
  static final long DRAIN_IDLE_MILLIS = 2000;

  private static final long DRAIN_CHECK_MILLIS = 200;

  /** A shell's code for "command not found". */
  static final int COMMAND_NOT_FOUND = 127;

  private final Vertx vertx;
  private final Container container;
  private final List<String> cmd;
  private final String name;

  ExecSession(Vertx vertx, Container container, List<String> cmd, String name) {
    this.vertx = vertx;
    this.container = container;
    this.cmd = List.copyOf(cmd);
    this.name = name;
  }

  @Override
  public Future<Integer> execute(RemoteCommandStreams streams) {
    ContainerContext context = container.context();
    if (container.state() != ContainerState.CONTAINER_RUNNING || context == null) {
      return Future.failedFuture("container not running (" + container.id() + ")");
    }
    if (cmd.isEmpty()) {
      return Future.failedFuture("no command specified");
    }
    Context session = vertx.getOrCreateContext();
    TerminalResizer resizer = new TerminalResizer(vertx, streams, INITIAL_SIZE_WAIT);
    return resizer
        .initialSize()
        .compose(
            size -> vertx.executeBlocking(() -> launch(context, size, streams.options()), false))
        .compose(
            launched ->
                launched.isEmpty()
                    ? commandNotFound(streams)
                    : run(session, streams, launched.get(), resizer));
  }

  /**
   * Starts the process; empty when the command is not an executable on the container's PATH.
   * Blocking.
   */
  private Optional<LaunchedProcess> launch(
      ContainerContext context, TerminalSize size, StreamOptions options) throws Exception {
    return ContainerExec.start(
        context,
        cmd,
        options.tty(),
        options.stdin(),
        size == null ? 0 : size.width(),
        size == null ? 0 : size.height());
  }

  /**
   * What a shell does for a missing command: a message on stderr (the terminal with a TTY), exit
   * code 127.
   */
  private Future<Integer> commandNotFound(RemoteCommandStreams streams) {
    String eol = streams.options().tty() ? "\r\n" : "\n";
    String message = "exec: \"" + cmd.get(0) + "\": executable file not found in $PATH" + eol;
    WriteStream<Buffer> out = streams.stderr() != null ? streams.stderr() : streams.stdout();
    if (out != null) {
      out.write(Buffer.buffer(message.getBytes(StandardCharsets.UTF_8)));
    }
    return Future.succeededFuture(COMMAND_NOT_FOUND);
  }

  private Future<Integer> run(
      Context session,
      RemoteCommandStreams streams,
      LaunchedProcess process,
      TerminalResizer resizer) {
    long pid = process.pid();
    streams.processStarted(pid);
    LOG.fine(() -> name + ": pid " + pid + " in container " + Ids.shortId(container.id()));
    Future<Integer> exit = Future.fromCompletionStage(process.onExit(), session);
    if (!container.execStarted(pid)) {
      kill(pid); // the container stopped while this process started: it must not outlive it
    }
    StreamSink stdout = new StreamSink(session, streams.stdout());
    StreamSink stderr = new StreamSink(session, streams.stderr());
    List<OutputPump> pumps = new ArrayList<>();
    pumps.add(OutputPump.start(name + "-stdout", process.stdout(), stdout));
    if (process.stderr() != null) {
      pumps.add(OutputPump.start(name + "-stderr", process.stderr(), stderr));
    }
    StdinWriter stdin =
        process.stdin() == null ? null : new StdinWriter(process.stdin(), process.tty());
    if (streams.stdin() != null) {
      StdinCopier.copy(vertx, streams.stdin(), stdin, true);
    }
    resizer.forwardTo(size -> process.resize(size.width(), size.height()));
    streams
        .closeFuture()
        .onComplete(
            v -> {
              if (!exit.isComplete()) {
                LOG.info(name + ": client went away, killing pid " + pid);
                kill(pid);
              }
              stdout.close();
              stderr.close();
            });
    return exit.compose(code -> drained(pumps).map(code))
        .onComplete(
            ar -> {
              LOG.fine(
                  () ->
                      name
                          + ": delivered stdout="
                          + stdout.delivered()
                          + " stderr="
                          + stderr.delivered());
              stdout.close();
              stderr.close();
              container.execEnded(pid);
              if (stdin != null) {
                vertx.executeBlocking(
                    () -> {
                      stdin.release(); // the PTY master or the pipe: no descriptor outlives the
                      // session
                      return null;
                    },
                    false);
              }
            });
  }

  /**
   * Completes once every output stream reached its end and was handed to the client, or, after the
   * exit, once the streams still open have been silent for {@link #DRAIN_IDLE_MILLIS} (a background
   * child holds them; a client that reads slowly is not silence: its pump waits in a write, not in
   * a read).
   */
  private Future<Void> drained(List<OutputPump> pumps) {
    Future<Void> all = Future.all(pumps.stream().map(OutputPump::done).toList()).mapEmpty();
    if (all.isComplete()) {
      return all;
    }
    Promise<Void> done = Promise.promise();
    all.onComplete(ar -> done.tryComplete());
    long timer =
        vertx.setPeriodic(
            DRAIN_CHECK_MILLIS,
            id -> {
              if (pumps.stream()
                  .allMatch(p -> p.done().isComplete() || p.idleInReadFor(DRAIN_IDLE_MILLIS))) {
                LOG.info(
                    name
                        + ": output still open "
                        + DRAIN_IDLE_MILLIS
                        + "ms after exit (a background child holds it)");
                done.tryComplete();
              }
            });
    return done.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  /**
   * SIGKILL to the process, its descendants and its session (on a worker: finding them reads
   * /proc).
   */
  private void kill(long pid) {
    vertx.executeBlocking(
        () -> {
          ProcessHandle.of(pid)
              .ifPresent(
                  handle -> {
                    handle.descendants().forEach(ProcessHandle::destroyForcibly);
                    handle.destroyForcibly();
                  });
          ProcessSession.kill(pid);
          return null;
        },
        false);
  }
}
