package io.kubehop.kubelet.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.streaming.transport.TlsFiles;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.net.URI;

/**
 * The kubelet's client of the Kubernetes API: plain JSON requests, and watches read as one JSON
 * WatchEvent per line. Errors are returned as failed futures (or non-2xx {@link ApiResponse}s),
 * never thrown.
 */
public final class ApiClient {

  /**
   * Longest watch line accepted: a pod object never comes near it; a runaway stream is cut instead
   * of buffered.
   */
  private static final int MAX_LINE = 4 * 1024 * 1024;

  private final HttpClientAgent http;
  private final String host;
  private final int port;

  public ApiClient(Vertx vertx, String baseUrl) {
    this(vertx, baseUrl, null);
  }

  /**
   * A client of the apiserver at {@code baseUrl}; over {@code https} it verifies the apiserver's
   * certificate against {@code tls}'s CA (the JDK's when null) and presents its client certificate,
   * if any: the node's identity.
   */
  public ApiClient(Vertx vertx, String baseUrl, TlsFiles tls) {
    URI uri = URI.create(baseUrl);
    this.host = uri.getHost();
    this.port = uri.getPort() > 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
    HttpClientOptions options = new HttpClientOptions().setConnectTimeout(5000);
    if ("https".equals(uri.getScheme())) {
      options.setSsl(true);
      if (tls != null) {
        tls.client(options);
      }
    }
    this.http = vertx.createHttpClient(options);
  }

  /** One response with its whole body (API objects are small). */
  public record ApiResponse(int status, Buffer body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    public JsonNode json() {
      try {
        return ApiJson.tree(body.getBytes());
      } catch (IOException e) {
        throw new IllegalStateException("malformed JSON from the apiserver: " + e.getMessage(), e);
      }
    }
  }

  public Future<ApiResponse> get(String path) {
    return send(HttpMethod.GET, path, null);
  }

  public Future<ApiResponse> post(String path, Object body) {
    return send(HttpMethod.POST, path, body);
  }

  public Future<ApiResponse> put(String path, Object body) {
    return send(HttpMethod.PUT, path, body);
  }

  public Future<ApiResponse> delete(String path, Object body) {
    return send(HttpMethod.DELETE, path, body);
  }

  /** A JSON merge patch ({@code application/merge-patch+json}). */
  public Future<ApiResponse> mergePatch(String path, Object body) {
    return send(HttpMethod.PATCH, path, body, "application/merge-patch+json");
  }

  private Future<ApiResponse> send(HttpMethod method, String path, Object body) {
    return send(method, path, body, "application/json");
  }

  private Future<ApiResponse> send(
      HttpMethod method, String path, Object body, String contentType) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setHost(host)
            .setPort(port)
            .setURI(path)
            .putHeader("Accept", "application/json")
            .setTimeout(30_000);
    if (body != null) {
      options.putHeader("Content-Type", contentType);
    }
    return http.request(options)
        .compose(
            req -> body == null ? req.send() : req.send(Buffer.buffer(ApiJson.writeBytes(body))))
        .compose(resp -> resp.body().map(b -> new ApiResponse(resp.statusCode(), b)));
  }

  /**
   * Opens a watch at {@code path} (which must include {@code watch=true}) and hands every event
   * line to {@code onEvent}. The returned future completes when the server ends the stream, fails
   * on a transport error or a non-200 answer.
   */
  public Future<Void> watch(String path, Handler<JsonNode> onEvent) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost(host)
            .setPort(port)
            .setURI(path)
            .putHeader("Accept", "application/json");
    return http.request(options)
        .compose(req -> req.send())
        .compose(
            resp -> {
              if (resp.statusCode() != 200) {
                return resp.body()
                    .compose(
                        b ->
                            Future.failedFuture(
                                "watch " + path + ": HTTP " + resp.statusCode() + " " + b));
              }
              return readLines(resp, onEvent);
            });
  }

  private static Future<Void> readLines(HttpClientResponse resp, Handler<JsonNode> onEvent) {
    Promise<Void> done = Promise.promise();
    RecordParser lines = RecordParser.newDelimited("\n", resp).maxRecordSize(MAX_LINE);
    lines.handler(
        line -> {
          if (line.length() == 0) {
            return;
          }
          try {
            onEvent.handle(ApiJson.tree(line.getBytes()));
          } catch (IOException | RuntimeException e) {
            // A line we cannot read means the stream is no longer trustworthy: drop it, the caller
            // re-lists.
            done.tryFail(e);
            resp.request().connection().close();
          }
        });
    lines.exceptionHandler(done::tryFail);
    lines.endHandler(v -> done.tryComplete());
    return done.future();
  }

  public Future<Void> close() {
    return http.close();
  }
}
