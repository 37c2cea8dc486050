package io.kubehop.apiserver.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.Status;
import io.kubehop.api.meta.StatusException;
import io.kubehop.api.meta.StatusReason;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads request bodies with a size cap and decodes them like upstream's JSON serializer would
 * report.
 */
public final class Bodies {

  /** Upstream's limit for a request body ({@code MaxRequestBodyBytes}, 3 MiB). */
  public static final int MAX_BYTES = 3 * 1024 * 1024;

  private static final Pattern UNEXPECTED_CHAR = Pattern.compile("Unexpected character \\('(.)'");

  private Bodies() {
    throw new AssertionError("No instances.");
  }

  /** Collects the body; more than {@link #MAX_BYTES} fails with 413 RequestEntityTooLarge. */
  public static Future<Buffer> read(HttpServerRequest req) {
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer();
    req.handler(
        chunk -> {
          if (body.length() + chunk.length() > MAX_BYTES) {
            // Stop reading (the socket stays paused, nothing more is buffered) and close after the
            // 413.
            req.pause();
            req.handler(null);
            req.response().putHeader("Connection", "close");
            promise.tryFail(
                new StatusException(
                    Status.failure(
                        413,
                        "RequestEntityTooLarge",
                        "Request entity too large: limit is " + MAX_BYTES,
                        null)));
            return;
          }
          body.appendBuffer(chunk);
        });
    req.endHandler(v -> promise.tryComplete(body));
    req.exceptionHandler(promise::tryFail);
    return promise.future();
  }

  /** Parses JSON; malformed input is a 400 with a Go-style decode message. */
  public static JsonNode json(Buffer body) {
    if (body.length() == 0) {
      throw StatusException.badRequest("Object 'Kind' is missing in ''");
    }
    try {
      return ApiJson.tree(body.getBytes());
    } catch (JsonProcessingException e) {
      throw StatusException.badRequest(
          "couldn't get version/kind; json parse error: " + goMessage(e));
    } catch (IOException e) {
      throw StatusException.badRequest(e.getMessage());
    }
  }

  static String goMessage(JsonProcessingException e) {
    String m = String.valueOf(e.getOriginalMessage());
    if (m.contains("end-of-input") || m.contains("Unexpected end")) {
      return "unexpected end of JSON input";
    }
    Matcher u = UNEXPECTED_CHAR.matcher(m);
    if (u.find()) {
      return "invalid character '" + u.group(1) + "' looking for beginning of value";
    }
    return m;
  }

  public static StatusException unsupportedMediaType(String contentType) {
    return new StatusException(
        Status.failure(
            415,
            StatusReason.UNSUPPORTED_MEDIA_TYPE,
            "the body of the request was in an unknown format - accepted media types include: "
                + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, "
                + "application/strategic-merge-patch+json",
            null));
  }

  /** 415 for a create or update body that is not JSON, listing what kubehop accepts. */
  public static StatusException unsupportedObjectMediaType(String contentType) {
    return new StatusException(
        Status.failure(
            415,
            StatusReason.UNSUPPORTED_MEDIA_TYPE,
            "the body of the request was in an unknown format - accepted media types include: application/json",
            null));
  }
}
