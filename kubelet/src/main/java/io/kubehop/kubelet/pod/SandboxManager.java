package io.kubehop.kubelet.pod;

import io.kubehop.api.meta.Times;
import io.kubehop.cri.v1.ListPodSandboxRequest;
import io.kubehop.cri.v1.PodSandbox;
import io.kubehop.cri.v1.PodSandboxConfig;
import io.kubehop.cri.v1.PodSandboxFilter;
import io.kubehop.cri.v1.PodSandboxState;
import io.kubehop.cri.v1.PodSandboxStatusRequest;
import io.kubehop.cri.v1.RunPodSandboxRequest;
import io.kubehop.cri.v1.RuntimeServiceClient;
import io.kubehop.kubelet.KubeletConfig;
import io.kubehop.kubelet.cri.CriConfigs;
import io.kubehop.kubelet.cri.CriLabels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Logger;

/** Finds (adopts) or creates the sandbox of a pod, and learns its IP. */
final class SandboxManager {

  private static final Logger LOG = Logger.getLogger(SandboxManager.class.getName());

  private final Vertx vertx;
  private final KubeletConfig config;
  private final RuntimeServiceClient cri;

  SandboxManager(Vertx vertx, KubeletConfig config, RuntimeServiceClient cri) {
    this.vertx = vertx;
    this.config = config;
    this.cri = cri;
  }

  static Future<List<PodSandbox>> sandboxesOf(RuntimeServiceClient cri, String podUid) {
    return cri.listPodSandbox(
            ListPodSandboxRequest.newBuilder()
                .setFilter(
                    PodSandboxFilter.newBuilder().putLabelSelector(CriLabels.POD_UID, podUid))
                .build())
        .map(r -> r.getItemsList());
  }

  /**
   * Sets {@code rec.sandboxId} and {@code rec.podIp}, adopting a ready sandbox of the pod if the
   * runtime has one.
   */
  Future<Void> ensure(PodRecord rec) {
    if (rec.sandboxId == null) {
      return findOrRun(rec);
    }
    // The sandbox we know may have been stopped or removed behind our back (runtime restart,
    // crictl): check it.
    return cri.podSandboxStatus(
            PodSandboxStatusRequest.newBuilder().setPodSandboxId(rec.sandboxId).build())
        .transform(
            ar -> {
              if (ar.succeeded()
                  && ar.result().getStatus().getState() == PodSandboxState.SANDBOX_READY) {
                return Future.succeededFuture();
              }
              LOG.info(
                  "sandbox "
                      + rec.sandboxId
                      + " of pod "
                      + rec.pod().namespace()
                      + "/"
                      + rec.pod().name()
                      + " is gone or not ready; looking again");
              rec.sandboxId = null;
              rec.podIp = "";
              return findOrRun(rec);
            });
  }

  private Future<Void> findOrRun(PodRecord rec) {
    return sandboxesOf(cri, rec.uid())
        .compose(
            existing -> {
              PodSandbox ready =
                  existing.stream()
                      .filter(s -> s.getState() == PodSandboxState.SANDBOX_READY)
                      .max(Comparator.comparingLong(PodSandbox::getCreatedAt))
                      .orElse(null);
              if (ready != null) {
                LOG.info(
                    "adopting sandbox "
                        + ready.getId()
                        + " of pod "
                        + rec.pod().namespace()
                        + "/"
                        + rec.pod().name());
                return Future.succeededFuture(ready.getId());
              }
              return run(rec, existing.size());
            })
        .compose(
            id ->
                cri.podSandboxStatus(
                        PodSandboxStatusRequest.newBuilder().setPodSandboxId(id).build())
                    .map(
                        st -> {
                          rec.sandboxId = id;
                          rec.podIp = st.getStatus().getNetwork().getIp();
                          if (rec.startTime == null) {
                            String fromApi =
                                rec.pod().status() == null ? null : rec.pod().status().startTime();
                            rec.startTime = fromApi != null ? fromApi : Times.now();
                          }
                          return null;
                        }));
  }

  private Future<String> run(PodRecord rec, int attempt) {
    PodSandboxConfig sandboxConfig =
        CriConfigs.sandboxConfig(rec.pod(), config.podLogsRoot(), attempt);
    LOG.info("running sandbox for pod " + rec.pod().namespace() + "/" + rec.pod().name());
    return vertx
        .fileSystem()
        .mkdirs(sandboxConfig.getLogDirectory())
        .compose(
            v ->
                cri.runPodSandbox(
                    RunPodSandboxRequest.newBuilder().setConfig(sandboxConfig).build()))
        .map(r -> r.getPodSandboxId());
  }
}
