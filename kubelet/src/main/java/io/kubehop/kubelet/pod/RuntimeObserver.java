package io.kubehop.kubelet.pod;

import io.kubehop.cri.v1.Container;
import io.kubehop.cri.v1.ContainerFilter;
import io.kubehop.cri.v1.ContainerStatus;
import io.kubehop.cri.v1.ContainerStatusRequest;
import io.kubehop.cri.v1.ContainerStatusResponse;
import io.kubehop.cri.v1.ListContainersRequest;
import io.kubehop.cri.v1.RuntimeServiceClient;
import io.kubehop.kubelet.cri.CriLabels;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what the runtime holds for a pod (ListContainers + ContainerStatus) into a {@link
 * PodSnapshot}.
 */
final class RuntimeObserver {

  private final RuntimeServiceClient cri;

  RuntimeObserver(RuntimeServiceClient cri) {
    this.cri = cri;
  }

  /** The pod's containers (in any sandbox), found by the pod-uid label. */
  Future<List<Container>> containersOf(String podUid) {
    return cri.listContainers(
            ListContainersRequest.newBuilder()
                .setFilter(ContainerFilter.newBuilder().putLabelSelector(CriLabels.POD_UID, podUid))
                .build())
        .map(r -> r.getContainersList());
  }

  Future<PodSnapshot> observe(String podUid, String sandboxId, String podIp) {
    return containersOf(podUid)
        .compose(
            list -> {
              Map<String, List<Container>> byName = new HashMap<>();
              for (Container c : list) {
                String name =
                    c.getLabelsMap()
                        .getOrDefault(CriLabels.CONTAINER_NAME, c.getMetadata().getName());
                byName.computeIfAbsent(name, k -> new ArrayList<>()).add(c);
              }
              List<Future<Map.Entry<String, PodSnapshot.History>>> histories = new ArrayList<>();
              byName.forEach(
                  (name, attempts) ->
                      histories.add(history(attempts).map(h -> Map.entry(name, h))));
              return Future.all(histories)
                  .map(
                      all -> {
                        Map<String, PodSnapshot.History> containers = new HashMap<>();
                        for (int i = 0; i < all.size(); i++) {
                          Map.Entry<String, PodSnapshot.History> e = all.resultAt(i);
                          containers.put(e.getKey(), e.getValue());
                        }
                        return new PodSnapshot(sandboxId, podIp, containers);
                      });
            });
  }

  private Future<PodSnapshot.History> history(List<Container> attempts) {
    attempts.sort(
        Comparator.comparingInt(RuntimeObserver::attempt)
            .thenComparingLong(Container::getCreatedAt)
            .reversed());
    List<String> older = new ArrayList<>();
    for (int i = 2; i < attempts.size(); i++) {
      older.add(attempts.get(i).getId());
    }
    Future<ContainerStatus> latest = status(attempts.get(0).getId());
    Future<ContainerStatus> previous =
        attempts.size() > 1 ? status(attempts.get(1).getId()) : Future.succeededFuture();
    return Future.all(latest, previous)
        .map(v -> new PodSnapshot.History(latest.result(), previous.result(), older));
  }

  Future<ContainerStatus> status(String containerId) {
    return cri.containerStatus(
            ContainerStatusRequest.newBuilder().setContainerId(containerId).build())
        .map(ContainerStatusResponse::getStatus);
  }

  private static int attempt(Container c) {
    String count = c.getAnnotationsMap().get(CriLabels.RESTART_COUNT);
    if (count != null) {
      try {
        return Integer.parseInt(count);
      } catch (NumberFormatException e) {
        // use the metadata
      }
    }
    return c.getMetadata().getAttempt();
  }
}
