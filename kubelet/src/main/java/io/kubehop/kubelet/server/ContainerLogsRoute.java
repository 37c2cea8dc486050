package io.kubehop.kubelet.server;

import io.kubehop.cri.v1.ContainerState;
import io.kubehop.cri.v1.ContainerStatusRequest;
import io.kubehop.cri.v1.RuntimeServiceClient;
import io.kubehop.kubelet.logs.LogOptions;
import io.kubehop.kubelet.logs.LogStreamer;
import io.kubehop.kubelet.pod.PodManager;
import io.kubehop.kubelet.pod.PodRecord;
import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.proxy.HopRegistry;
import io.kubehop.streaming.proxy.HopSession;
import io.kubehop.streaming.proxy.SessionEnd;
import io.kubehop.streaming.proxy.SessionSubject;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /containerLogs/{ns}/{pod}/{container}}: the container's CRI log file, with upstream's
 * options and error texts ({@code pkg/kubelet/server/server.go} getContainerLogs, {@code
 * kubelet_pods.go} validateContainerLogStatus).
 */
public final class ContainerLogsRoute implements KubeletRoute {

  private final Vertx vertx;
  private final PodManager pods;
  private final RuntimeServiceClient cri;
  private final HopRegistry hops;

  public ContainerLogsRoute(
      Vertx vertx, PodManager pods, RuntimeServiceClient cri, HopRegistry hops) {
    this.vertx = vertx;
    this.pods = pods;
    this.cri = cri;
    this.hops = hops;
  }

  @Override
  public void handle(HttpServerRequest req, List<String> segments) {
    if (!Responses.requireGet(req)) {
      return;
    }
    if (segments.size() < 2) {
      Responses.text(req, 400, "{\"message\": \"Missing podID.\"}");
      return;
    }
    if (segments.size() < 3) {
      Responses.text(req, 400, "{\"message\": \"Missing container name.\"}");
      return;
    }
    String ns = segments.get(0);
    String podName = segments.get(1);
    String container = segments.get(2);
    LogOptions options;
    try {
      options = LogOptions.parse(req.params(), Instant.now());
    } catch (LogOptions.BadQuery e) {
      Responses.text(req, e.code(), e.getMessage());
      return;
    }
    Optional<PodRecord> found = pods.find(ns, podName);
    if (found.isEmpty()) {
      Responses.text(req, 404, "pod \"" + podName + "\" does not exist");
      return;
    }
    PodRecord rec = found.get();
    if (rec.pod().spec().container(container).isEmpty()) {
      Responses.text(
          req, 404, "container \"" + container + "\" not found in pod \"" + podName + "\"");
      return;
    }
    String id =
        options.previous() ? rec.previousContainerId(container) : rec.currentContainerId(container);
    if (id == null) {
      Responses.text(
          req,
          400,
          options.previous()
              ? "previous terminated container \""
                  + container
                  + "\" in pod \""
                  + podName
                  + "\" not found"
              : "container \""
                  + container
                  + "\" in pod \""
                  + podName
                  + "\" is waiting to start: "
                  + waitingReason(rec, container));
      return;
    }
    req.pause();
    cri.containerStatus(ContainerStatusRequest.newBuilder().setContainerId(id).build())
        .onComplete(
            ar -> {
              req.resume();
              if (ar.failed()) {
                Responses.text(req, 500, ar.cause().getMessage());
                return;
              }
              String logPath = ar.result().getStatus().getLogPath();
              if (logPath.isEmpty()) {
                Responses.text(
                    req,
                    400,
                    "container \"" + container + "\" in pod \"" + podName + "\" has no log file");
                return;
              }
              req.response().setChunked(true).putHeader("Content-Type", "text/plain");
              Future<Void> streamed =
                  new LogStreamer(
                          vertx, Path.of(logPath), options, req.response(), () -> exited(id))
                      .start();
              if (options.follow()) {
                follow(req, ns + "/" + podName, container, logPath, streamed);
              }
            });
  }

  /**
   * A followed log is a session like an exec: held in the registry (one socket, from the apiserver;
   * the other end is a file) until the client leaves or the container's log ends.
   */
  private void follow(
      HttpServerRequest req, String pod, String container, String logPath, Future<Void> streamed) {
    String session =
        Optional.ofNullable(req.getHeader(StreamHeaders.SESSION)).orElseGet(HopRegistry::newId);
    hops.expect(session, new SessionSubject("log", pod, container, null));
    HopSession hop =
        hops.relay(
            session, logPath, "http/1.1 log", req.connection(), null, req.response()::bytesWritten);
    streamed.onComplete(
        v ->
            hop.relayEnded(
                req.response().closed() ? SessionEnd.Side.CLIENT : SessionEnd.Side.SELF,
                SessionEnd.How.CLOSED));
  }

  /**
   * The reason the container waits (ContainerCreating, RunContainerError, …), as upstream's message
   * names it.
   */
  private static String waitingReason(PodRecord rec, String container) {
    if (rec.currentStatus() == null) {
      return "ContainerCreating";
    }
    return rec.currentStatus().containerStatuses().stream()
        .filter(s -> s.name().equals(container) && s.state() != null && s.state().waiting() != null)
        .map(s -> s.state().waiting().reason())
        .findFirst()
        .orElse("ContainerCreating");
  }

  private Future<Boolean> exited(String containerId) {
    return cri.containerStatus(
            ContainerStatusRequest.newBuilder().setContainerId(containerId).build())
        .map(r -> r.getStatus().getState() == ContainerState.CONTAINER_EXITED);
  }
}
