package io.kubehop.kubelet.pod;

import io.kubehop.cri.v1.Container;
import io.kubehop.cri.v1.ContainerState;
import io.kubehop.cri.v1.PodSandbox;
import io.kubehop.cri.v1.RemovePodSandboxRequest;
import io.kubehop.cri.v1.RuntimeServiceClient;
import io.kubehop.cri.v1.StopContainerRequest;
import io.kubehop.cri.v1.StopPodSandboxRequest;
import io.kubehop.kubelet.apiserver.ApiClient;
import io.kubehop.kubelet.cri.CriLabels;
import io.kubehop.kubelet.events.EventRecorder;
import io.kubehop.kubelet.events.Reasons;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Tears a pod down (upstream's {@code KillPod} + the status manager's final delete): stop its
 * containers within the grace period, stop and remove its sandboxes, then, for a pod that is still
 * in the API, {@code DELETE} it with {@code {"gracePeriodSeconds":0}} so that the apiserver removes
 * the object.
 */
final class PodKiller {

  private static final Logger LOG = Logger.getLogger(PodKiller.class.getName());

  private final RuntimeServiceClient cri;
  private final ApiClient api;
  private final RuntimeObserver observer;
  private final CrashLoopBackOff backoff;
  private final EventRecorder events;

  PodKiller(
      RuntimeServiceClient cri,
      ApiClient api,
      RuntimeObserver observer,
      CrashLoopBackOff backoff,
      EventRecorder events) {
    this.cri = cri;
    this.api = api;
    this.observer = observer;
    this.backoff = backoff;
    this.events = events;
  }

  Future<Void> kill(PodRecord rec) {
    long grace = rec.gracePeriodSeconds();
    String ns = rec.pod().namespace();
    String name = rec.pod().name();
    LOG.info("killing pod " + ns + "/" + name + " with grace period " + grace + "s");
    return killRuntimeObjects(rec.uid(), grace, rec)
        .compose(
            v -> {
              if (rec.goneFromApi) {
                return Future.succeededFuture();
              }
              return api.delete(
                      "/api/v1/namespaces/" + ns + "/pods/" + name, Map.of("gracePeriodSeconds", 0))
                  .compose(
                      resp ->
                          resp.ok() || resp.status() == 404
                              ? Future.<Void>succeededFuture()
                              : Future.<Void>failedFuture(
                                  "delete pod "
                                      + ns
                                      + "/"
                                      + name
                                      + ": HTTP "
                                      + resp.status()
                                      + " "
                                      + resp.body()));
            })
        .onSuccess(
            v -> {
              rec.finished = true;
              backoff.forgetPod(rec.uid());
              LOG.info("pod " + ns + "/" + name + " is gone");
            });
  }

  /**
   * Stops the containers of a pod (in parallel, each with {@code grace} seconds) and removes its
   * sandboxes.
   */
  Future<Void> killRuntimeObjects(String podUid, long grace) {
    return killRuntimeObjects(podUid, grace, null);
  }

  /** As above; {@code rec}, when known, gets a Killing event for every container stopped. */
  private Future<Void> killRuntimeObjects(String podUid, long grace, PodRecord rec) {
    return observer
        .containersOf(podUid)
        .compose(
            containers -> {
              List<Future<?>> stops = new ArrayList<>();
              for (Container c : containers) {
                if (c.getState() != ContainerState.CONTAINER_EXITED) {
                  if (rec != null && c.getState() == ContainerState.CONTAINER_RUNNING) {
                    String name =
                        c.getLabelsMap()
                            .getOrDefault(CriLabels.CONTAINER_NAME, c.getMetadata().getName());
                    events.record(
                        EventRecorder.InvolvedObject.of(rec.pod(), name),
                        EventRecorder.NORMAL,
                        Reasons.KILLING,
                        Reasons.stopping(name));
                  }
                  stops.add(
                      cri.stopContainer(
                          StopContainerRequest.newBuilder()
                              .setContainerId(c.getId())
                              .setTimeout(grace)
                              .build()));
                }
              }
              return Future.all(stops);
            })
        .compose(v -> SandboxManager.sandboxesOf(cri, podUid))
        .compose(
            sandboxes -> {
              Future<Void> chain = Future.succeededFuture();
              for (PodSandbox s : sandboxes) {
                chain =
                    chain
                        .compose(
                            x ->
                                cri.stopPodSandbox(
                                    StopPodSandboxRequest.newBuilder()
                                        .setPodSandboxId(s.getId())
                                        .build()))
                        .compose(
                            x ->
                                cri.removePodSandbox(
                                    RemovePodSandboxRequest.newBuilder()
                                        .setPodSandboxId(s.getId())
                                        .build()))
                        .mapEmpty();
              }
              return chain;
            });
  }
}
