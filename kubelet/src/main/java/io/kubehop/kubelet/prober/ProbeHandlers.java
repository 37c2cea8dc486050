package io.kubehop.kubelet.prober;

import io.kubehop.api.core.Container;
import io.kubehop.api.core.ContainerPort;
import io.kubehop.api.core.Probe;
import io.kubehop.api.version.VersionInfo;
import io.kubehop.cri.v1.ExecSyncRequest;
import io.kubehop.cri.v1.RuntimeServiceClient;
import io.kubehop.kubelet.cri.CriException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.grpc.common.GrpcStatus;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * The probe handlers (upstream's {@code pkg/probe/{exec,tcp,http}}), all asynchronous: tcpSocket
 * connects with Vert.x's NetClient, httpGet sends one GET with Vert.x's HttpClient (no keep-alive,
 * as upstream), exec runs the command in the container through the runtime's CRI {@code ExecSync}.
 * Failure outputs are upstream's texts, Go's net errors included ({@code dial tcp 127.0.0.5:8080:
 * connect: connection refused}), since they reach users in Unhealthy events.
 */
public final class ProbeHandlers {

  /** Upstream reads at most 10 KiB of a probe's response body. */
  private static final int MAX_BODY = 10 * 1024;

  private final Vertx vertx;
  private final NetClient tcp;
  private final HttpClientAgent http;
  private final RuntimeServiceClient cri;
  private final String userAgent;

  public ProbeHandlers(Vertx vertx, RuntimeServiceClient cri) {
    this.vertx = vertx;
    this.tcp = vertx.createNetClient(new NetClientOptions());
    // no keep-alive, and an https probe does not verify the certificate: both as upstream's
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(false).setTrustAll(true).setVerifyHost(false));
    this.cri = cri;
    VersionInfo v = VersionInfo.get();
    this.userAgent = "kube-probe/" + v.major() + "." + v.minor();
  }

  /**
   * Runs {@code probe}'s handler against the container.
   *
   * @param podIp the pod's IP: the target of tcpSocket and of httpGet without host
   * @param containerId the CRI id exec runs in
   */
  public Future<ProbeOutcome> run(Probe probe, Container c, String podIp, String containerId) {
    long timeoutMs = probe.effectiveTimeoutSeconds() * 1000L;
    try {
      if (probe.exec() != null) {
        return exec(containerId, probe.exec().command(), probe.effectiveTimeoutSeconds());
      }
      if (probe.httpGet() != null) {
        Probe.HttpGetAction g = probe.httpGet();
        String host = g.host() == null || g.host().isEmpty() ? podIp : g.host();
        return httpGet(g, host, port(g.port(), c), timeoutMs);
      }
      if (probe.tcpSocket() != null) {
        Probe.TcpSocketAction t = probe.tcpSocket();
        String host = t.host() == null || t.host().isEmpty() ? podIp : t.host();
        return tcp(host, port(t.port(), c), timeoutMs);
      }
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return Future.failedFuture("missing probe handler for " + c.name());
  }

  /**
   * A probe's port: a number, or the name of one of the container's ports (upstream's {@code
   * extractPort}, with its last-ditch number-in-a-string).
   */
  static int port(com.fasterxml.jackson.databind.JsonNode param, Container c) {
    int port = -1;
    if (param == null || param.isNull()) {
      throw new IllegalArgumentException("intOrString had no kind");
    }
    if (param.isNumber()) {
      port = param.asInt();
    } else {
      String name = param.asText();
      boolean found = false;
      for (ContainerPort p : c.ports()) {
        if (name.equals(p.name()) && p.containerPort() != null) {
          port = p.containerPort();
          found = true;
        }
      }
      if (!found) {
        try {
          port = Integer.parseInt(name);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("port " + name + " not found");
        }
      }
    }
    if (port <= 0 || port >= 65536) {
      throw new IllegalArgumentException("invalid port number: " + port);
    }
    return port;
  }

  Future<ProbeOutcome> tcp(String host, int port, long timeoutMs) {
    String addr = hostPort(host, port);
    return tcp.connect(
            new io.vertx.core.net.ConnectOptions()
                .setHost(host)
                .setPort(port)
                .setTimeout((int) timeoutMs))
        .compose(
            so -> so.close().transform(ar -> Future.succeededFuture(ProbeOutcome.success(""))),
            e -> Future.succeededFuture(ProbeOutcome.failure(dialError(addr, e))));
  }

  Future<ProbeOutcome> httpGet(Probe.HttpGetAction g, String host, int port, long timeoutMs) {
    String scheme =
        g.scheme() == null || g.scheme().isEmpty() ? "http" : g.scheme().toLowerCase(Locale.ROOT);
    String path = g.path() == null || g.path().isEmpty() ? "/" : g.path();
    if (!path.startsWith("/")) {
      path = "/" + path;
    }
    String url = scheme + "://" + hostPort(host, port) + path;
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost(host)
            .setPort(port)
            .setSsl("https".equals(scheme))
            .setURI(path)
            .setConnectTimeout(timeoutMs)
            .setTimeout(timeoutMs);
    boolean userAgentSet = false;
    boolean acceptSet = false;
    for (Probe.HttpHeader h : g.httpHeaders()) {
      if (h.name() == null) {
        continue;
      }
      userAgentSet |= h.name().equalsIgnoreCase("User-Agent");
      acceptSet |= h.name().equalsIgnoreCase("Accept");
      options.addHeader(h.name(), h.value() == null ? "" : h.value());
    }
    if (!userAgentSet) {
      options.putHeader("User-Agent", userAgent);
    }
    if (!acceptSet) {
      options.putHeader("Accept", "*/*");
    }
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    // Our own deadline as well as the client's: a request that Vert.x's client leaves hanging past
    // its timeouts (seen once on a loaded machine: no answer, no error for 10 s) still ends the
    // probe as upstream's client would, timed out.
    Promise<ProbeOutcome> outcome = Promise.promise();
    long timer =
        vertx.setTimer(
            timeoutMs + 100,
            id ->
                outcome.tryComplete(
                    ProbeOutcome.failure(
                        "Get \""
                            + url
                            + "\": context deadline exceeded (Client.Timeout exceeded while"
                            + " awaiting headers)")));
    request(options, host, port, url, deadline)
        .onComplete(
            ar -> {
              vertx.cancelTimer(timer);
              if (ar.succeeded()) {
                outcome.tryComplete(ar.result());
              } else {
                outcome.tryFail(ar.cause());
              }
            });
    return outcome.future();
  }

  private Future<ProbeOutcome> request(
      RequestOptions options, String host, int port, String url, long deadline) {
    return http.request(options)
        .compose(req -> req.send())
        .compose(
            resp ->
                resp.body()
                    .map(
                        body -> {
                          int code = resp.statusCode();
                          if (code >= 200 && code < 400) {
                            int n = Math.min(body.length(), MAX_BODY);
                            return ProbeOutcome.success(
                                body.getString(0, n, StandardCharsets.UTF_8.name()));
                          }
                          return ProbeOutcome.failure("HTTP probe failed with statuscode: " + code);
                        }))
        .recover(
            e -> {
              String detail =
                  isTimeout(e) && System.nanoTime() >= deadline - 50_000_000L
                      ? "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
                      : dialError(hostPort(host, port), e);
              return Future.succeededFuture(ProbeOutcome.failure("Get \"" + url + "\": " + detail));
            });
  }

  Future<ProbeOutcome> exec(String containerId, java.util.List<String> cmd, int timeoutSeconds) {
    return cri.execSync(
            ExecSyncRequest.newBuilder()
                .setContainerId(containerId)
                .addAllCmd(cmd)
                .setTimeout(timeoutSeconds)
                .build())
        .map(
            r -> {
              String out = r.getStdout().toStringUtf8() + r.getStderr().toStringUtf8();
              return r.getExitCode() == 0 ? ProbeOutcome.success(out) : ProbeOutcome.failure(out);
            })
        .recover(
            e ->
                e instanceof CriException ce && ce.status() == GrpcStatus.DEADLINE_EXCEEDED
                    ? Future.succeededFuture(
                        ProbeOutcome.failure("command \"" + String.join(" ", cmd) + "\" timed out"))
                    : Future.failedFuture(e));
  }

  private static String hostPort(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private static boolean isTimeout(Throwable e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    return e instanceof TimeoutException
        || e.getClass().getSimpleName().contains("Timeout")
        || m.contains("timed out")
        || m.contains("timeout");
  }

  /** Go's {@code net.Dial} error text for a failed connect to {@code addr}. */
  static String dialError(String addr, Throwable e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    String why;
    if (m.contains("refused")) {
      why = "connect: connection refused";
    } else if (isTimeout(e)) {
      why = "i/o timeout";
    } else if (e instanceof NoRouteToHostException || m.contains("no route")) {
      why = "connect: no route to host";
    } else if (e instanceof ConnectException) {
      why = "connect: " + m;
    } else {
      why = m;
    }
    return "dial tcp " + addr + ": " + why;
  }
}
