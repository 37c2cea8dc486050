package io.kubehop.apiserver.subresource;

import io.kubehop.api.meta.Status;
import io.kubehop.api.meta.StatusException;
import io.kubehop.apiserver.http.ApiRequest;
import io.kubehop.apiserver.http.Responses;
import io.kubehop.apiserver.storage.Store;
import io.kubehop.apiserver.storage.StoreKey;
import io.kubehop.apiserver.util.ParseBool;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.proxy.HopRegistry;
import io.kubehop.streaming.proxy.HopSession;
import io.kubehop.streaming.proxy.Peer;
import io.kubehop.streaming.proxy.SessionEnd;
import io.kubehop.streaming.proxy.SessionSubject;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Logger;

/**
 * {@code GET …/pods/{name}/log}: resolves pod → container → node → kubelet, and streams the
 * kubelet's {@code /containerLogs/{ns}/{pod}/{container}} back with backpressure (pipeTo). Each
 * stream has its own unpooled connection, so followers never exhaust the client pool
 * (docs/design.md, Vert.x constraints). A followed log is a streaming session: it claims an id
 * ({@code X-Kubehop-Session}, sent on to the kubelet and back in the response) and is held in the
 * {@link HopRegistry} as a relayed hop until either side ends it.
 */
public final class LogSubresource implements SubresourceHandler {

  private static final Logger LOG = Logger.getLogger(LogSubresource.class.getName());

  /** Log options forwarded to the kubelet, in Go's url.Values.Encode order (sorted). */
  private static final List<String> BOOLEANS = List.of("follow", "previous", "timestamps");

  private final Store store;
  private final NodeLocator nodes;
  private final HttpClientAgent client;
  private final HopRegistry hops;

  public LogSubresource(Store store, NodeLocator nodes, HttpClientAgent client, HopRegistry hops) {
    this.store = store;
    this.nodes = nodes;
    this.client = client;
    this.hops = hops;
  }

  @Override
  public void handle(ApiRequest req) {
    if (req.http().method() != HttpMethod.GET) {
      throw StatusException.methodNotAllowed();
    }
    String query = kubeletQuery(req.query());
    HttpServerResponse resp = req.http().response();
    store
        .get(new StoreKey("pods", req.namespace(), req.name()))
        .recover(t -> Future.failedFuture(Responses.translate(t, "pods", req.name())))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                Responses.failure(resp, ar.cause());
                return;
              }
              try {
                String container =
                    NodeLocator.resolveContainer(ar.result(), req.param("container"));
                String node = ar.result().path("spec").path("nodeName").asText("");
                if (node.isEmpty()) {
                  // Upstream: a pod without a host has an empty log location, so the answer is
                  // empty.
                  resp.putHeader("Content-Type", "text/plain").end();
                  return;
                }
                String path =
                    "/containerLogs/"
                        + req.namespace()
                        + "/"
                        + req.name()
                        + "/"
                        + container
                        + query;
                nodes
                    .locate(node)
                    .onComplete(
                        loc -> {
                          if (loc.failed()) {
                            Responses.failure(resp, loc.cause());
                          } else {
                            boolean follow =
                                req.param("follow") != null && ParseBool.parse(req.param("follow"));
                            // A followed log is a long-lived session like an exec: it gets an
                            // id, is held in the registry and shows in /debug/sessions.
                            String session =
                                follow
                                    ? hops.claim(
                                        req.http().getHeader(StreamHeaders.SESSION),
                                        new SessionSubject(
                                            "log",
                                            req.namespace() + "/" + req.name(),
                                            container,
                                            new Peer("kubelet", node, loc.result().toString())))
                                    : null;
                            proxy(loc.result(), path, req.http(), session);
                          }
                        });
              } catch (RuntimeException e) {
                Responses.failure(resp, e);
              }
            });
  }

  static String kubeletQuery(MultiMap params) {
    StringBuilder q = new StringBuilder();
    for (String name :
        List.of(
            "follow",
            "limitBytes",
            "previous",
            "sinceSeconds",
            "sinceTime",
            "tailLines",
            "timestamps")) {
      String v = params.get(name);
      if (v == null || v.isEmpty()) {
        continue;
      }
      if (BOOLEANS.contains(name)) {
        if (!ParseBool.query(name, v, false)) {
          continue;
        }
        v = "true";
      } else if (!name.equals("sinceTime")) {
        try {
          Long.parseLong(v);
        } catch (NumberFormatException e) {
          throw StatusException.badRequest("invalid value for " + name + ": " + v);
        }
      }
      q.append(q.length() == 0 ? '?' : '&')
          .append(name)
          .append('=')
          .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
    }
    return q.toString();
  }

  /** {@code session}: the followed log's session id, null when not following. */
  private void proxy(
      NodeLocator.KubeletAddress kubelet, String path, HttpServerRequest req, String session) {
    HttpServerResponse resp = req.response();
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setURI(path)
            .setHost(kubelet.host())
            .setPort(kubelet.port());
    if (session != null) {
      options.putHeader(StreamHeaders.SESSION, session);
    }
    client
        .connect(
            new HttpConnectOptions()
                .setHost(kubelet.host())
                .setPort(kubelet.port())
                .setSsl(kubelet.tls()))
        .onFailure(
            t -> {
              release(session);
              Responses.status(resp, dialError(kubelet, t));
            })
        .onSuccess(
            conn -> {
              resp.closeHandler(v -> conn.close());
              conn.request(options)
                  .compose(creq -> creq.send())
                  .onComplete(
                      ar -> {
                        if (ar.failed()) {
                          release(session);
                          Responses.status(resp, dialError(kubelet, ar.cause()));
                          conn.close();
                        } else {
                          relay(ar.result(), req, conn, path, session);
                        }
                      });
            });
  }

  private void release(String session) {
    if (session != null) {
      hops.release(session);
    }
  }

  private void relay(
      HttpClientResponse kresp,
      HttpServerRequest req,
      HttpClientConnection conn,
      String path,
      String session) {
    HttpServerResponse resp = req.response();
    boolean follow = session != null;
    if (kresp.statusCode() < 200 || kresp.statusCode() >= 300) {
      kresp
          .body()
          .onComplete(
              b -> {
                String text =
                    b.succeeded()
                        ? b.result().toString(StandardCharsets.UTF_8).trim()
                        : kresp.statusMessage();
                Responses.status(
                    resp,
                    Status.failure(kresp.statusCode(), reasonFor(kresp.statusCode()), text, null));
                conn.close();
              });
      release(session);
      return;
    }
    resp.setStatusCode(kresp.statusCode()).putHeader("Content-Type", "text/plain");
    if (follow || kresp.getHeader("Content-Length") == null) {
      resp.setChunked(true);
    } else {
      resp.putHeader("Content-Length", kresp.getHeader("Content-Length"));
    }
    if (!follow) {
      kresp.pipeTo(resp).onComplete(v -> conn.close());
      return;
    }
    resp.putHeader(StreamHeaders.SESSION, session);
    HopSession hop =
        hops.relay(session, path, "http/1.1 log", req.connection(), conn, resp::bytesWritten);
    kresp
        .pipeTo(resp)
        .onComplete(
            ar -> {
              conn.close();
              // The client left (its connection closed) or the kubelet ended the log (the
              // container exited, or the kubelet went away).
              hop.relayEnded(
                  resp.closed() ? SessionEnd.Side.CLIENT : SessionEnd.Side.BACKEND,
                  ar.succeeded() || resp.closed() ? SessionEnd.How.CLOSED : SessionEnd.How.RESET);
            });
  }

  private static String reasonFor(int code) {
    return switch (code) {
      case 400 -> "BadRequest";
      case 404 -> "NotFound";
      case 403 -> "Forbidden";
      case 401 -> "Unauthorized";
      default -> "InternalError";
    };
  }

  /**
   * Upstream's {@code error dialing backend: dial tcp …: connect: connection refused}
   * (docs/design.md).
   */
  static Status dialError(NodeLocator.KubeletAddress kubelet, Throwable t) {
    String why = String.valueOf(t.getMessage());
    if (why.toLowerCase().contains("connection refused")) {
      why = "connect: connection refused";
    }
    LOG.info("log stream to kubelet " + kubelet + " failed: " + t);
    return Status.failure(
        500, null, "error dialing backend: dial tcp " + kubelet + ": " + why, null);
  }
}
