package io.kubehop.apiserver.subresource;

import io.kubehop.api.meta.StatusException;
import io.kubehop.apiserver.http.ApiRequest;
import io.kubehop.apiserver.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;

/**
 * {@code GET /api/v1/nodes/{name}/proxy/{path}}: the node's kubelet's {@code /{path}} (query
 * included), relayed as it comes, status and content type kept; upstream's {@code nodes/proxy}. It
 * is how a client reaches a kubelet that answers only the apiserver's client certificate: {@code
 * kubehop trace} asks each kubelet for its sessions this way ({@code /debug/sessions}, and its
 * runtime's, {@code /debug/sessions/runtime}), with the rights to {@code get nodes/proxy}; {@code
 * kubehop fault} adds and removes a kubelet's faults ({@code POST} and {@code DELETE
 * /debug/faults}, the rights to {@code create} and {@code delete nodes/proxy}). GET, HEAD, POST and
 * DELETE; a POST's body is relayed whole (small: a fault rule). Other methods get a 405.
 */
public final class NodeProxySubresource implements SubresourceHandler {

  /** The subresource's name, and the path segment that the rest of the path follows. */
  public static final String NAME = "proxy";

  private final NodeLocator nodes;
  private final HttpClientAgent client;

  public NodeProxySubresource(NodeLocator nodes, HttpClientAgent client) {
    this.nodes = nodes;
    this.client = client;
  }

  @Override
  public void handle(ApiRequest req) {
    HttpServerRequest http = req.http();
    HttpMethod method = http.method();
    if (method != HttpMethod.GET
        && method != HttpMethod.HEAD
        && method != HttpMethod.POST
        && method != HttpMethod.DELETE) {
      throw StatusException.methodNotAllowed();
    }
    if (method == HttpMethod.POST) {
      http.body()
          .onFailure(e -> Responses.failure(http.response(), e))
          .onSuccess(body -> relay(req, http, body));
    } else {
      relay(req, http, null);
    }
  }

  private void relay(ApiRequest req, HttpServerRequest http, Buffer body) {
    String marker = "/nodes/" + req.name() + "/" + NAME;
    String path = http.path();
    String rest = path.substring(path.indexOf(marker) + marker.length());
    String target =
        (rest.isEmpty() ? "/" : rest) + (http.query() == null ? "" : "?" + http.query());
    HttpServerResponse resp = http.response();
    nodes
        .locate(req.name())
        .onFailure(e -> Responses.failure(resp, e))
        .onSuccess(
            kubelet ->
                // A connection of its own, closed with the response: a pooled one would stay open
                // between the two tiers, a socket no session owns (and lsof would show it).
                client
                    .connect(
                        new HttpConnectOptions()
                            .setHost(kubelet.host())
                            .setPort(kubelet.port())
                            .setSsl(kubelet.tls()))
                    .onFailure(e -> Responses.status(resp, LogSubresource.dialError(kubelet, e)))
                    .onSuccess(
                        conn ->
                            conn.request(
                                    new RequestOptions()
                                        .setMethod(http.method())
                                        .setHost(kubelet.host())
                                        .setPort(kubelet.port())
                                        .setURI(target))
                                .compose(
                                    r -> {
                                      if (body == null) {
                                        return r.send();
                                      }
                                      String type = http.getHeader("Content-Type");
                                      if (type != null) {
                                        r.putHeader("Content-Type", type);
                                      }
                                      return r.send(body);
                                    })
                                .onFailure(
                                    e -> {
                                      conn.close();
                                      Responses.status(resp, LogSubresource.dialError(kubelet, e));
                                    })
                                .onSuccess(r -> relay(r, resp).onComplete(v -> conn.close()))));
  }

  /** Status, content type and body as they come, with back-pressure both ways. */
  private static Future<Void> relay(HttpClientResponse from, HttpServerResponse to) {
    to.setStatusCode(from.statusCode());
    String type = from.getHeader("Content-Type");
    if (type != null) {
      to.putHeader("Content-Type", type);
    }
    String length = from.getHeader("Content-Length");
    if (length != null) {
      to.putHeader("Content-Length", length);
    } else {
      to.setChunked(true);
    }
    return from.pipeTo(to);
  }
}
