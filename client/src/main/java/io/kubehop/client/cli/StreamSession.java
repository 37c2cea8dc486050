package io.kubehop.client.cli;

import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.Status;
import io.kubehop.api.meta.StatusException;
import io.kubehop.client.ExitCodeException;
import io.kubehop.client.rest.JdkHttpTransport;
import io.kubehop.client.rest.RestClient;
import io.kubehop.client.rest.ServerUnreachableException;
import io.kubehop.client.stream.ChannelWriteStream;
import io.kubehop.client.stream.HandshakeListener;
import io.kubehop.client.stream.HandshakeLog;
import io.kubehop.client.stream.InputReadStream;
import io.kubehop.client.stream.LocalTerminal;
import io.kubehop.client.stream.ResizeStream;
import io.kubehop.client.stream.SessionLoss;
import io.kubehop.client.stream.StreamingClient;
import io.kubehop.client.stream.Transport;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.remotecommand.ErrorStreamDecoder;
import io.kubehop.streaming.remotecommand.MissingStatusException;
import io.kubehop.streaming.remotecommand.NoStatusException;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.TerminalSize;
import io.kubehop.streaming.remotecommand.client.StreamExecutor;
import io.kubehop.streaming.remotecommand.client.Upgrade;
import io.kubehop.streaming.remotecommand.client.UpgradeFailureException;
import io.kubehop.streaming.spdy.SpdyDialer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One exec or attach session of the CLI: the local streams (stdout/stderr written on threads of
 * their own with back-pressure, stdin read on its own), the terminal in raw mode with its sizes for
 * {@code -t}, the executor for the chosen {@code --transport}, and the outcome mapped to kubectl's
 * exit codes and messages, including the broken hop when the session ended without a Status.
 */
final class StreamSession {

  /** kubectl's words when {@code -t} is asked for but stdin is no terminal. */
  static final String NO_TTY =
      "Unable to use a TTY - input is not a terminal or the right kind of file";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** How long the CLI waits for its own stdout/stderr to take the last bytes. */
  private static final Duration FLUSH_BOUND = Duration.ofSeconds(10);

  /** The local terminal of a session with {@code -t}, or none. */
  record Terminal(Optional<LocalTerminal> local) {
    boolean tty() {
      return local.isPresent();
    }
  }

  private final ApiCommand.Session session;
  private final Transport transport;

  StreamSession(ApiCommand.Session session, Transport transport) {
    this.session = session;
    this.transport = transport;
  }

  /**
   * kubectl's {@code SetupTTY}: a tty only with {@code -i} and {@code -t}; when stdin is not a
   * terminal it says so (unless quiet) and goes on without.
   */
  static Terminal setUpTty(boolean stdin, boolean tty, boolean quiet, PrintStream err) {
    if (!stdin || !tty) {
      return new Terminal(Optional.empty());
    }
    Optional<LocalTerminal> local = LocalTerminal.onStdin();
    if (local.isEmpty() && !quiet) {
      err.println(NO_TTY);
    }
    return new Terminal(local);
  }

  /** {@code cli-} and 16 lowercase hex digits (the session id contract with the apiserver). */
  static String newSessionId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return "cli-" + HexFormat.of().formatHex(bytes);
  }

  /**
   * Runs the session on {@code pathAndQuery}; returns 0 or throws what {@link ExitCodes} prints.
   *
   * @param attach attach sends the terminal one cell larger first, so the attached process redraws
   */
  int run(String pathAndQuery, boolean stdin, Terminal terminal, boolean attach) throws Exception {
    CliContext io = session.io();
    boolean tty = terminal.tty();
    StreamOptions options = new StreamOptions(stdin, true, !tty, tty);
    String sessionId = newSessionId();
    long[] upgradedAt = {0};
    HandshakeListener record =
        new HandshakeListener() {
          @Override
          public void upgraded(Upgrade upgrade) {
            upgradedAt[0] = System.nanoTime();
          }
        };
    HandshakeListener listener =
        session.verbosity() >= 6 ? new HandshakeLog(io.err(), sessionId).andThen(record) : record;
    String[] echoedId = {sessionId};
    io.out().flush();
    io.err().flush();
    Throwable outcome;
    try (StreamingClient client = new StreamingClient(session.client().connection())) {
      Context context = client.vertx().getOrCreateContext();
      ChannelWriteStream out = new ChannelWriteStream(context, stdoutChannel(io), "kubehop-stdout");
      ChannelWriteStream err =
          tty ? null : new ChannelWriteStream(context, stderrChannel(io), "kubehop-stderr");
      InputReadStream in =
          stdin ? new InputReadStream(context, stdinStream(io), "kubehop-stdin") : null;
      ResizeStream resize = null;
      LocalTerminal local = terminal.local().orElse(null);
      if (local != null) {
        TerminalSize size = local.size();
        resize =
            new ResizeStream(
                context,
                attach
                    ? List.of(new TerminalSize(size.width() + 1, size.height() + 1), size)
                    : List.of(size));
        ResizeStream sizes = resize;
        local.onResize(sizes::resized);
      }
      StreamExecutor executor = client.executor(transport, pathAndQuery, sessionId, listener);
      ResizeStream resizeSource = resize;
      Promise<Void> done = Promise.promise();
      if (local != null) {
        local.makeRaw();
      }
      try {
        context.runOnContext(
            v ->
                executor.stream(
                        options,
                        in,
                        out,
                        err,
                        resizeSource,
                        up -> {
                          String echoed = up.responseHeaders().get(StreamHeaders.SESSION);
                          if (echoed != null) {
                            echoedId[0] = echoed;
                          }
                        })
                    .onComplete(done));
        outcome = await(done.future());
        flush(out, err);
      } finally {
        if (local != null) {
          local.close();
        }
      }
    }
    if (outcome == null) {
      return 0;
    }
    throw failure(outcome, echoedId[0], upgradedAt[0]);
  }

  private static Throwable await(Future<Void> future) throws InterruptedException {
    try {
      future.toCompletionStage().toCompletableFuture().get();
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  /** Waits (bounded) until stdout and stderr took every byte: the exit must not cut output. */
  private static void flush(ChannelWriteStream out, ChannelWriteStream err)
      throws InterruptedException {
    for (ChannelWriteStream w : new ChannelWriteStream[] {out, err}) {
      if (w == null) {
        continue;
      }
      try {
        w.end()
            .toCompletionStage()
            .toCompletableFuture()
            .get(FLUSH_BOUND.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // a closed pipe (e.g. `| head`) or a stuck terminal: the outcome below still counts
      }
    }
  }

  /** The exception {@link ExitCodes} turns into kubectl's message and exit code. */
  private Exception failure(Throwable outcome, String sessionId, long upgradedAtNanos) {
    if (outcome instanceof io.kubehop.streaming.remotecommand.ExitCodeException exit) {
      return new ExitCodeException(exit.code(), "command terminated with exit code " + exit.code());
    }
    if (outcome instanceof MissingStatusException || outcome instanceof NoStatusException) {
      Duration since =
          Duration.ofNanos(upgradedAtNanos == 0 ? 0 : System.nanoTime() - upgradedAtNanos);
      return new CommandException(lossMessage(sessionId, since));
    }
    if (outcome instanceof SpdyDialer.UpgradeFailedException refused) {
      Status status = statusOf(refused.body());
      return status != null
          ? new StatusException(status)
          : new CommandException(refused.getMessage());
    }
    if (outcome instanceof UpgradeFailureException
        || outcome instanceof ErrorStreamDecoder.RemoteCommandException) {
      return new CommandException(outcome.getMessage());
    }
    if (outcome instanceof ConnectException) {
      return ServerUnreachableException.refused(session.client().connection().hostPort(), outcome);
    }
    if (outcome instanceof Exception e) {
      return e;
    }
    return new CommandException(String.valueOf(outcome));
  }

  private String lossMessage(String sessionId, Duration since) {
    try (RestClient sessions =
        new RestClient(
            session.client().connection(),
            new JdkHttpTransport(session.client().connection()),
            SessionLoss.QUERY_BOUND)) {
      return SessionLoss.message(
          sessions, sessionId, session.client().connection().hostPort(), since);
    } catch (java.io.IOException closing) {
      return SessionLoss.message(null, session.client().connection().hostPort(), since);
    }
  }

  private static Status statusOf(String body) {
    try {
      Status s = ApiJson.read(body, Status.class);
      return "Status".equals(s.kind()) && s.status() != null ? s : null;
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  /** fd 1 itself when the CLI writes to the process's stdout (a FileChannel: gathering writes). */
  private static WritableByteChannel stdoutChannel(CliContext io) {
    return io.out() == System.out
        ? new FileOutputStream(FileDescriptor.out).getChannel()
        : Channels.newChannel(io.out());
  }

  private static WritableByteChannel stderrChannel(CliContext io) {
    return io.err() == System.err
        ? new FileOutputStream(FileDescriptor.err).getChannel()
        : Channels.newChannel(io.err());
  }

  /** fd 0 unbuffered (System.in's buffer would read ahead of the remote side's demand). */
  private static InputStream stdinStream(CliContext io) {
    return io.in() == System.in ? new FileInputStream(FileDescriptor.in) : io.in();
  }
}
