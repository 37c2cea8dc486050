package io.kubehop.streaming.inspect;

import io.kubehop.api.json.ApiJson;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /debug/sessions} of a tier: the whole {@link SessionsView}, or with {@code ?id=} the
 * one {@link SessionView} (404 when the tier knows no such session). Other methods get a 405.
 */
public final class DebugSessions {

  /** The path every tier serves its sessions on. */
  public static final String PATH = "/debug/sessions";

  private final Supplier<SessionsView> view;

  public DebugSessions(Supplier<SessionsView> view) {
    this.view = view;
  }

  public void handle(HttpServerRequest req) {
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      req.response()
          .setStatusCode(405)
          .putHeader("Allow", "GET, HEAD")
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("method not allowed\n");
      return;
    }
    String id;
    try {
      id = req.getParam("id");
    } catch (IllegalArgumentException malformedQuery) {
      req.response()
          .setStatusCode(400)
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("malformed query: " + malformedQuery.getMessage() + "\n");
      return;
    }
    Optional<Object> found = lookup(id);
    if (found.isEmpty()) {
      req.response()
          .setStatusCode(404)
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("no session " + id + "\n");
      return;
    }
    json(req, found.get());
  }

  /**
   * The whole {@link SessionsView} for a null {@code id}, else the latest {@link SessionView} with
   * that id (a live one comes after the closed ones), else empty.
   */
  public Optional<Object> lookup(String id) {
    SessionsView all = view.get();
    if (id == null) {
      return Optional.of(all);
    }
    SessionView found = null;
    for (SessionView s : all.sessions()) {
      if (s.id().equals(id)) {
        found = s;
      }
    }
    return Optional.ofNullable(found);
  }

  private static void json(HttpServerRequest req, Object value) {
    req.response().putHeader("Content-Type", "application/json").end(ApiJson.write(value));
  }
}
