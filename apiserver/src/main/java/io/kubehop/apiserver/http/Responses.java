package io.kubehop.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.Status;
import io.kubehop.api.meta.StatusException;
import io.kubehop.apiserver.storage.StoreException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Writes JSON bodies and Status errors. */
public final class Responses {

  private static final Logger LOG = Logger.getLogger(Responses.class.getName());

  private Responses() {
    throw new AssertionError("No instances.");
  }

  public static void json(HttpServerResponse resp, int code, JsonNode body) {
    json(resp, code, "application/json", body);
  }

  public static void json(HttpServerResponse resp, int code, String contentType, JsonNode body) {
    if (resp.ended() || resp.closed()) {
      return;
    }
    resp.setStatusCode(code)
        .putHeader("Content-Type", contentType)
        .end(Buffer.buffer(ApiJson.writeBytes(body)));
  }

  public static void status(HttpServerResponse resp, Status status) {
    if (resp.ended() || resp.closed()) {
      return;
    }
    int code = status.code() == null ? 500 : status.code();
    resp.setStatusCode(code)
        .putHeader("Content-Type", "application/json")
        .end(Buffer.buffer(ApiJson.writeBytes(status)));
  }

  /** Maps any failure to a Status; unexpected ones become 500 InternalError and are logged. */
  public static void failure(HttpServerResponse resp, Throwable t) {
    status(resp, toStatus(t));
  }

  public static Status toStatus(Throwable t) {
    if (t instanceof StatusException se) {
      return se.status();
    }
    LOG.log(Level.WARNING, "internal error", t);
    return StatusException.internal(String.valueOf(t.getMessage())).status();
  }

  /**
   * A store failure in terms of the resource: {@code pods "x" not found}, {@code … already exists},
   * Conflict.
   */
  public static Throwable translate(Throwable t, String resource, String name) {
    if (t instanceof StoreException.NotFound) {
      return StatusException.notFound(resource, name);
    }
    if (t instanceof StoreException.AlreadyExists) {
      return StatusException.alreadyExists(resource, name);
    }
    if (t instanceof StoreException.Conflict) {
      return StatusException.conflict(resource, name, t.getMessage());
    }
    return t;
  }
}
