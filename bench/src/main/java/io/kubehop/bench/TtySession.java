package io.kubehop.bench;

import io.kubehop.client.rest.Query;
import io.kubehop.client.stream.StreamingClient;
import io.kubehop.client.stream.Transport;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * An interactive exec session ({@code -it}) in a pod running {@code cat} on a terminal without echo
 * or line editing, so each byte typed comes back exactly once, from the process (not the terminal
 * driver). Held open until closed, as a user's shell is; closed with Ctrl-C, as a user would (the
 * terminal keeps its signals, so cat dies of SIGINT and the session ends).
 */
final class TtySession extends EchoPeer {

  /** Byte by byte and silent first, then a one-byte "ready" mark, then cat. */
  static final List<String> COMMAND =
      List.of("sh", "-c", "stty -icanon -echo min 1 time 0 && printf R && exec cat");

  private static final Buffer CTRL_C = Buffer.buffer(new byte[] {3});

  private final PushReadStream stdin;
  private final Promise<Void> ended = Promise.promise();

  private TtySession(Context context) {
    super(context);
    this.stdin = new PushReadStream(context);
  }

  /**
   * Opens a session in {@code pod}'s {@code container} on {@code transport}; completes once cat
   * runs.
   */
  static Future<TtySession> open(
      StreamingClient client, Transport transport, String namespace, String pod, String container) {
    Context context = client.vertx().getOrCreateContext();
    TtySession session = new TtySession(context);
    String path =
        "/api/v1/namespaces/"
            + Query.escapePath(namespace)
            + "/pods/"
            + Query.escapePath(pod)
            + "/exec"
            + execQuery(COMMAND, container, true).encode();
    Promise<Void> started = Promise.promise();
    context.runOnContext(
        v ->
            client.executor(transport, path, null).stream(
                    new StreamOptions(true, true, false, true),
                    session.stdin,
                    session.arrivals,
                    null)
                .onComplete(
                    ar -> {
                      session.ended.tryComplete();
                      started.tryFail("the session ended before cat ran: " + ar);
                    }));
    session
        .awaitArrived(1)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                started.tryComplete();
              } else {
                started.tryFail(ar.cause());
              }
            });
    return started.future().map(session);
  }

  /** kubectl's exec query: each command word, the container, the streams asked for. */
  static Query execQuery(List<String> command, String container, boolean tty) {
    Query query = Query.of();
    command.forEach(word -> query.add("command", word));
    return query
        .add("container", container)
        .add("stdin", Boolean.toString(tty))
        .add("stdout", "true")
        .add("stderr", Boolean.toString(!tty))
        .add("tty", Boolean.toString(tty));
  }

  @Override
  protected void send(Buffer data) {
    stdin.push(data);
  }

  /** Types Ctrl-C: cat dies, the session ends (with exit code 130). */
  @Override
  public void close() {
    stdin.push(CTRL_C.copy());
  }

  /** Completes when the session ended, whichever way. */
  Future<Void> ended() {
    return ended.future();
  }
}
