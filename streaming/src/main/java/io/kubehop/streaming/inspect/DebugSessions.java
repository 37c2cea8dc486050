package io.kubehop.streaming.inspect;

import io.kubehop.api.json.ApiJson;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
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
    SessionsView all = view.get();
    String id = req.getParam("id");
    if (id == null) {
      json(req, all);
      return;
    }
    // The latest with the id: a live session comes after the closed ones in the view.
    SessionView found = null;
    for (SessionView s : all.sessions()) {
      if (s.id().equals(id)) {
        found = s;
      }
    }
    if (found == null) {
      req.response()
          .setStatusCode(404)
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("no session " + id + " at " + all.tier() + "\n");
      return;
    }
    json(req, found);
  }

  private static void json(HttpServerRequest req, Object value) {
    req.response().putHeader("Content-Type", "application/json").end(ApiJson.write(value));
  }
}
