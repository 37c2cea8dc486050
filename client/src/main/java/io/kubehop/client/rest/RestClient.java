package io.kubehop.client.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.StatusException;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;

/**
 * The client side of the Kubernetes REST API: JSON requests, streamed bodies (log follow) and
 * watches. Error responses become {@link StatusException}s; unreachable servers {@link
 * ServerUnreachableException}s.
 *
 * <p>Upgraded connections (exec, attach, port-forward) do not go through {@link HttpTransport}: an
 * {@link UpgradeTransport} built from {@link #connection()} sends {@link #upgradeRequest}.
 */
public final class RestClient implements AutoCloseable {

  private final ClusterConnection connection;
  private final HttpTransport transport;
  private final Duration requestTimeout;

  /**
   * @param requestTimeout timeout of non-streaming requests; null or zero for none
   */
  public RestClient(
      ClusterConnection connection, HttpTransport transport, Duration requestTimeout) {
    this.connection = connection;
    this.transport = transport;
    this.requestTimeout = requestTimeout;
  }

  public ClusterConnection connection() {
    return connection;
  }

  /** The absolute URL of a path and query, for upgrading transports. */
  public String url(String path, Query query) {
    return connection.resolve(path + query.encode()).toString();
  }

  /**
   * The request an {@link UpgradeTransport} sends for a streaming subresource, e.g. {@code
   * upgradeRequest("POST", ".../pods/web/exec", query)}: no Accept header, as kubectl's upgrade
   * requests carry none; the transport adds the upgrade headers and credentials.
   */
  public ApiRequest upgradeRequest(String method, String path, Query query) {
    return new ApiRequest(method, path + query.encode(), new LinkedHashMap<>(), null, null);
  }

  public JsonNode get(String path, Query query, String accept) throws IOException {
    return json(ApiRequest.of("GET", path + query.encode(), accept));
  }

  /** Sends a JSON body (or none when {@code body} is null) and returns the JSON answer. */
  public JsonNode send(String method, String path, Query query, String contentType, byte[] body)
      throws IOException {
    ApiRequest request = ApiRequest.of(method, path + query.encode(), MediaTypes.JSON);
    return json(body == null ? request : request.withBody(contentType, body));
  }

  /**
   * A GET whose body is returned unread (logs); fails with the server's Status on an error code.
   */
  public ApiResponse stream(String path, Query query, String accept) throws IOException {
    return checked(transport.send(ApiRequest.of("GET", path + query.encode(), accept)));
  }

  /** Starts a watch: {@code query} must carry {@code watch=true}. */
  public WatchStream watch(String path, Query query, String accept) throws IOException {
    return new WatchStream(stream(path, query, accept));
  }

  private JsonNode json(ApiRequest request) throws IOException {
    ApiRequest timed = requestTimeout == null ? request : request.withTimeout(requestTimeout);
    try (ApiResponse response = checked(transport.send(timed))) {
      return ApiJson.tree(response.readAllBytes());
    }
  }

  private static ApiResponse checked(ApiResponse response) throws IOException {
    if (response.statusCode() >= 200 && response.statusCode() < 300) {
      return response;
    }
    byte[] body;
    try (response) {
      body = response.readAllBytes();
    }
    throw ApiErrors.fromResponse(response.statusCode(), body);
  }

  @Override
  public void close() {
    transport.close();
  }
}
