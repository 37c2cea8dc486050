package io.kubehop.client.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.Status;
import io.kubehop.api.meta.StatusException;
import io.kubehop.api.meta.StatusReason;
import java.nio.charset.StandardCharsets;

/**
 * Turns an error response into a {@link StatusException}: the server's own Status when the body is
 * one, else the generic Status client-go builds from the HTTP code ({@code
 * NewGenericServerResponse}).
 */
public final class ApiErrors {

  private ApiErrors() {
    throw new AssertionError("No instances.");
  }

  public static StatusException fromResponse(int code, byte[] body) {
    try {
      JsonNode node = ApiJson.tree(body);
      if (node != null && "Status".equals(node.path("kind").asText())) {
        return new StatusException(ApiJson.fromTree(node, Status.class));
      }
    } catch (Exception notJson) {
      // fall through to the generic message, as client-go does for non-Status bodies
    }
    return new StatusException(generic(code, new String(body, StandardCharsets.UTF_8).trim()));
  }

  /** A Status from a watch ERROR event's object. */
  public static StatusException fromEventObject(JsonNode object) {
    return new StatusException(ApiJson.fromTree(object, Status.class));
  }

  static Status generic(int code, String body) {
    String reason;
    String message;
    switch (code) {
      case 400 -> {
        reason = StatusReason.BAD_REQUEST;
        message = "the server rejected our request for an unknown reason";
      }
      case 401 -> {
        reason = StatusReason.UNAUTHORIZED;
        message = "the server has asked for the client to provide credentials";
      }
      case 403 -> {
        reason = StatusReason.FORBIDDEN;
        message = body.isEmpty() ? "forbidden" : body;
      }
      case 404 -> {
        reason = StatusReason.NOT_FOUND;
        message = "the server could not find the requested resource";
      }
      case 405 -> {
        reason = StatusReason.METHOD_NOT_ALLOWED;
        message = "the server does not allow this method on the requested resource";
      }
      case 409 -> {
        reason = StatusReason.CONFLICT;
        message = "the server reported a conflict";
      }
      case 415 -> {
        reason = StatusReason.UNSUPPORTED_MEDIA_TYPE;
        message =
            "the server responded with the status code 415 but did not return more information";
      }
      case 422 -> {
        reason = StatusReason.INVALID;
        message = "the server rejected our request due to an error in our request";
      }
      case 503 -> {
        reason = StatusReason.SERVICE_UNAVAILABLE;
        message = "the server is currently unable to handle the request";
      }
      case 504 -> {
        reason = StatusReason.TIMEOUT;
        message =
            "the server was unable to return a response in the time allotted, but may still be processing the request";
      }
      default -> {
        reason = code >= 500 ? StatusReason.INTERNAL_ERROR : "";
        message =
            "an error on the server (\""
                + (body.isEmpty() ? "unknown" : body)
                + "\") has prevented the request from succeeding";
      }
    }
    return Status.failure(code, reason, message, null);
  }
}
