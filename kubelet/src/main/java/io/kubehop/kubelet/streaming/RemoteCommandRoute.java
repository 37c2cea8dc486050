package io.kubehop.kubelet.streaming;

import io.kubehop.api.core.Container;
import io.kubehop.kubelet.pod.PodManager;
import io.kubehop.kubelet.pod.PodRecord;
import io.kubehop.kubelet.server.KubeletRoute;
import io.kubehop.kubelet.server.Responses;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET|POST /exec/{ns}/{pod}[/{uid}]/{container}} and {@code /attach/…}: upstream's {@code
 * getExec} and {@code getAttach} ({@code pkg/kubelet/server/server.go}, {@code kubelet_pods.go}).
 * Parse the stream options (400), find the pod (404 {@code pod does not exist}; 404 {@code pod not
 * found} if the path's UID is not the pod's) and its running container (500 with upstream's text,
 * since {@code GetExec} returns a plain error), ask the runtime for the stream URL over CRI (errors
 * as {@link StreamErrors}), then hand the request to the {@link StreamForwarder}.
 */
public final class RemoteCommandRoute implements KubeletRoute {

  /** The two remote-command verbs; the name is the first path segment. */
  public enum Verb {
    EXEC("exec"),
    ATTACH("attach");

    private final String segment;

    Verb(String segment) {
      this.segment = segment;
    }

    public String segment() {
      return segment;
    }
  }

  private final Verb verb;
  private final PodManager pods;
  private final StreamingRuntime runtime;
  private final StreamForwarder forwarder;

  public RemoteCommandRoute(
      Verb verb, PodManager pods, StreamingRuntime runtime, StreamForwarder forwarder) {
    this.verb = verb;
    this.pods = pods;
    this.runtime = runtime;
    this.forwarder = forwarder;
  }

  @Override
  public void handle(HttpServerRequest req, List<String> segments) {
    if (!UpgradeRoutes.requireGetOrPost(req)) {
      return;
    }
    Map<String, List<String>> query = StreamQuery.decode(req.query());
    Optional<ExecRequestParams> found = ExecRequestParams.from(segments, query);
    if (found.isEmpty()) {
      Responses.text(req, 404, "404 page not found\n");
      return;
    }
    ExecRequestParams params = found.get();
    StreamOptions options;
    try {
      options = StreamQuery.parse(query);
    } catch (IllegalArgumentException e) {
      Responses.text(req, 400, e.getMessage());
      return;
    }
    // Upstream's exec ignores the UID (FindPod prefers the full name) and its attach answers 500
    // "pod <name>_<ns> not found": kubehop answers both like port-forward (UpgradeRoutes.findPod).
    Optional<PodRecord> pod =
        UpgradeRoutes.findPod(req, pods, params.podNamespace(), params.podName(), params.podUid());
    if (pod.isEmpty()) {
      return;
    }
    UpgradeRoutes.serve(
        req,
        forwarder,
        new UpgradeRoutes.Request(
            verb.segment(),
            params.podNamespace() + "/" + params.podName(),
            params.containerName(),
            options),
        () -> streamUrl(pod.get(), params, options));
  }

  /**
   * Upstream's {@code GetExec}/{@code GetAttach}: the container must be running; then CRI names the
   * URL.
   */
  private Future<URI> streamUrl(PodRecord rec, ExecRequestParams params, StreamOptions options) {
    String containerId = runningContainerId(rec, params);
    if (verb == Verb.EXEC) {
      if (containerId == null) {
        return Future.failedFuture(
            new IllegalStateException("container not found (\"" + params.containerName() + "\")"));
      }
      return runtime.exec(containerId, params.cmd(), options);
    }
    Optional<Container> spec = rec.pod().spec().container(params.containerName());
    if (containerId == null || spec.isEmpty()) {
      return Future.failedFuture(
          new IllegalStateException(
              "container " + params.containerName() + " not found in pod " + params.podFullName()));
    }
    return runtime.attach(containerId, options, spec.get().wantsTty());
  }

  /**
   * The CRI id of the named container if it is running in this pod (upstream's {@code
   * findContainer} looks only at running containers).
   */
  private static String runningContainerId(PodRecord rec, ExecRequestParams params) {
    boolean running =
        rec.currentStatus() != null
            && rec.currentStatus().containerStatuses().stream()
                .anyMatch(
                    s ->
                        s.name().equals(params.containerName())
                            && s.state() != null
                            && s.state().running() != null);
    return running ? rec.currentContainerId(params.containerName()) : null;
  }
}
