package io.kubehop.streaming.inspect;

import io.kubehop.streaming.trace.FrameTracer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /debug/frames?session=ID[&after=SEQ]} of a tier: the frames it traced of one session
 * ({@code --trace-frames}), as {@code {"tier", "events": [...]}} with each event's {@code seq}, so
 * that a follower asks again with {@code after} the last one it saw. 404 when the tier traces
 * nothing, 400 without a session.
 */
public final class DebugFrames {

  /** The path every tracing tier serves its frames on. */
  public static final String PATH = "/debug/frames";

  private final Supplier<FrameTracer> tracer;

  public DebugFrames(Supplier<FrameTracer> tracer) {
    this.tracer = tracer;
  }

  /** The answer to {@code session} and {@code after}; empty when this tier traces nothing. */
  public Optional<JsonObject> lookup(String session, long after) {
    FrameTracer t = tracer.get();
    if (!t.on()) {
      return Optional.empty();
    }
    return Optional.of(
        new JsonObject()
            .put("tier", t.tier())
            .put(
                "events",
                new JsonArray(t.recent(session, after).stream().map(e -> (Object) e).toList())));
  }

  /**
   * Parses {@code after} (absent: 0); throws {@link IllegalArgumentException} when it is not a
   * number.
   */
  public static long after(String value) {
    if (value == null || value.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("after must be a number, got \"" + value + "\"");
    }
  }

  /** Serves a plain Vert.x request (the kubelet's server). */
  public void handle(HttpServerRequest req) {
    if (req.method() != HttpMethod.GET) {
      text(req, 405, "method not allowed\n");
      return;
    }
    String session;
    long after;
    try {
      session = req.getParam("session");
      after = after(req.getParam("after"));
    } catch (IllegalArgumentException e) {
      text(req, 400, "malformed query: " + e.getMessage() + "\n");
      return;
    }
    if (session == null || session.isEmpty()) {
      text(req, 400, "session is required: " + PATH + "?session=ID\n");
      return;
    }
    Optional<JsonObject> found = lookup(session, after);
    if (found.isEmpty()) {
      text(req, 404, "frame tracing is off (--trace-frames)\n");
      return;
    }
    req.response().putHeader("Content-Type", "application/json").end(found.get().encode());
  }

  private static void text(HttpServerRequest req, int code, String body) {
    req.response()
        .setStatusCode(code)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .end(body);
  }
}
