package io.kubehop.apiserver.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.Status;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayDeque;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * One watch response: chunked {@code application/json}, one WatchEvent per line. Events arrive from
 * store threads and are handed to the response's context. A watcher that does not read is bounded:
 * events wait in a queue of at most {@link #MAX_PENDING} (by default) while the response's write
 * queue is full; beyond that the watch is ended with an ERROR event, as upstream's cacher drops
 * unresponsive watchers.
 */
public final class WatchStream {

  private static final Logger LOG = Logger.getLogger(WatchStream.class.getName());
  static final int MAX_PENDING = 1000;

  private final int maxPending;
  private final Context context;
  private final HttpServerResponse resp;
  private final Function<ObjectNode, ObjectNode> render;
  private final String description;
  private final ArrayDeque<ObjectNode> pending = new ArrayDeque<>();
  private Runnable onClose = () -> {};

  /** Written on the response's context; volatile so other threads may ask {@link #isClosed()}. */
  private volatile boolean closed;

  /** {@code render} turns an object into what the event carries (itself, or a one-row Table). */
  public WatchStream(
      Context context,
      HttpServerResponse resp,
      Function<ObjectNode, ObjectNode> render,
      String description) {
    this(context, resp, render, description, MAX_PENDING);
  }

  WatchStream(
      Context context,
      HttpServerResponse resp,
      Function<ObjectNode, ObjectNode> render,
      String description,
      int maxPending) {
    this.maxPending = maxPending;
    this.context = context;
    this.resp = resp;
    this.render = render;
    this.description = description;
    resp.setChunked(true).putHeader("Content-Type", "application/json");
    resp.closeHandler(v -> close(false));
    resp.drainHandler(v -> flush());
  }

  public void onClose(Runnable r) {
    this.onClose = r;
  }

  /** Starts the response (kubectl waits for the headers before it prints anything). */
  public void start() {
    if (!resp.headWritten() && !resp.closed()) {
      resp.writeHead(); // replayed events may have been written (and sent the head) already
    }
  }

  /** Thread-safe: queues an event for the response's context. */
  public void send(String type, ObjectNode object) {
    context.runOnContext(v -> enqueue(type, object));
  }

  private void enqueue(String type, ObjectNode object) {
    if (closed) {
      return;
    }
    ObjectNode event = ApiJson.mapper().createObjectNode();
    event.put("type", type);
    event.set(
        "object", type.equals("ERROR") || type.equals("BOOKMARK") ? object : render.apply(object));
    pending.addLast(event);
    if (pending.size() > maxPending) {
      LOG.warning(
          "dropping slow watcher " + description + ": " + pending.size() + " events pending");
      pending.clear();
      write(
          error(
              Status.failure(
                  500,
                  "InternalError",
                  "watch of "
                      + description
                      + " dropped: the client is not reading (more than "
                      + maxPending
                      + " events pending)",
                  null)));
      close(true);
      if (resp.writeQueueFull()) {
        resp.reset(); // the client reads nothing: do not keep its buffered bytes around
      }
      return;
    }
    flush();
  }

  private void flush() {
    while (!closed && !pending.isEmpty() && !resp.writeQueueFull()) {
      write(pending.removeFirst());
    }
  }

  private void write(ObjectNode event) {
    resp.write(Buffer.buffer(ApiJson.write(event) + "\n"));
  }

  /** An ERROR event carrying {@code status}, then the end of the stream. Thread-safe. */
  public void fail(Status status) {
    context.runOnContext(
        v -> {
          if (!closed) {
            flush();
            write(error(status));
            close(true);
          }
        });
  }

  private static ObjectNode error(Status status) {
    ObjectNode e = ApiJson.mapper().createObjectNode();
    e.put("type", "ERROR");
    e.set("object", ApiJson.toTree(status));
    return e;
  }

  /** Ends the stream cleanly (timeoutSeconds elapsed). Thread-safe. */
  public void end() {
    context.runOnContext(
        v -> {
          flush();
          close(true);
        });
  }

  private void close(boolean endResponse) {
    if (closed) {
      return;
    }
    closed = true;
    pending.clear();
    onClose.run();
    if (endResponse && !resp.ended() && !resp.closed()) {
      resp.end();
    }
  }

  public boolean isClosed() {
    return closed;
  }
}
