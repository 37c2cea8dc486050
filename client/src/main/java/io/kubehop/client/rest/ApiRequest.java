package io.kubehop.client.rest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP request to the apiserver.
 *
 * @param method HTTP method
 * @param pathAndQuery absolute API path with its encoded query, e.g. {@code
 *     /api/v1/namespaces/default/pods?limit=500}
 * @param headers request headers (Accept, Content-Type, …), in order
 * @param body the body, or null
 * @param timeout the whole-response timeout, or null for none (watches, log follow)
 */
public record ApiRequest(
    String method,
    String pathAndQuery,
    Map<String, String> headers,
    byte[] body,
    Duration timeout) {

  public static ApiRequest of(String method, String pathAndQuery, String accept) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", accept);
    return new ApiRequest(method, pathAndQuery, headers, null, null);
  }

  public ApiRequest withBody(String contentType, byte[] bytes) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put("Content-Type", contentType);
    return new ApiRequest(method, pathAndQuery, h, bytes, timeout);
  }

  public ApiRequest withTimeout(Duration t) {
    return new ApiRequest(method, pathAndQuery, headers, body, t);
  }
}
