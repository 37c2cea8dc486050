package io.kubehop.kubelet.pod;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.core.WatchEvent;
import io.kubehop.cri.v1.ListPodSandboxRequest;
import io.kubehop.cri.v1.PodSandbox;
import io.kubehop.cri.v1.RuntimeServiceClient;
import io.kubehop.kubelet.KubeletConfig;
import io.kubehop.kubelet.apiserver.ApiClient;
import io.kubehop.kubelet.apiserver.PodSource;
import io.kubehop.kubelet.cri.CriLabels;
import io.kubehop.kubelet.events.EventRecorder;
import io.kubehop.kubelet.prober.ProbeHandlers;
import io.kubehop.kubelet.prober.ProbeManager;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The pods of this node: receives them from the {@link PodSource}, keeps one {@link PodRecord} and
 * {@link PodWorker} per pod uid, resyncs every pod periodically (which notices container exits),
 * and removes the sandboxes of pods that no longer exist. Everything runs on the kubelet's context.
 */
public final class PodManager implements PodSource.Listener {

  private static final Logger LOG = Logger.getLogger(PodManager.class.getName());

  private final Vertx vertx;
  private final RuntimeServiceClient cri;
  private final PodSyncer syncer;
  private final EventRecorder events;
  private final ProbeManager probes;
  private final Map<String, PodRecord> pods = new LinkedHashMap<>();
  private final Map<String, PodWorker> workers = new LinkedHashMap<>();

  /** Uids torn down completely: late events about them must not bring them back. */
  private final Set<String> finished = new HashSet<>();

  private long resyncTimer = -1;
  private boolean cleaningOrphans;

  public PodManager(Vertx vertx, KubeletConfig config, ApiClient api, RuntimeServiceClient cri) {
    this.vertx = vertx;
    this.cri = cri;
    this.events = new EventRecorder(vertx, api, "kubelet", config.nodeName(), Clock.systemUTC());
    this.probes =
        new ProbeManager(
            vertx,
            new ProbeHandlers(vertx, cri),
            events,
            uid -> {
              PodRecord rec = pods.get(uid);
              if (rec != null) {
                enqueue(rec);
              }
            },
            Clock.systemUTC());
    this.syncer =
        new PodSyncer(
            vertx,
            config,
            cri,
            new PodStatusReporter(api),
            (rec, delay) -> vertx.setTimer(delay, id -> enqueue(rec)),
            events,
            probes);
    this.resyncTimer =
        vertx.setPeriodic(
            config.resyncPeriod().toMillis(), id -> pods.values().forEach(this::enqueue));
  }

  public void stop() {
    vertx.cancelTimer(resyncTimer);
    probes.stop();
  }

  /** The pods' probes. */
  public ProbeManager probes() {
    return probes;
  }

  /** The recorder of the kubelet's events. */
  public EventRecorder events() {
    return events;
  }

  /** The pods this kubelet runs (live objects, do not mutate). */
  public Collection<PodRecord> pods() {
    return pods.values();
  }

  public Optional<PodRecord> find(String namespace, String name) {
    // A pod being deleted and its successor of the same name may coexist for a moment: prefer the
    // live one.
    return pods.values().stream()
        .filter(
            r ->
                namespace.equals(r.pod().namespace())
                    && name.equals(r.pod().name())
                    && !r.goneFromApi)
        .min(Comparator.comparing(PodRecord::terminating));
  }

  @Override
  public void onList(List<JsonNode> list) {
    Set<String> seen = new HashSet<>();
    for (JsonNode raw : list) {
      String uid = raw.path("metadata").path("uid").asText();
      seen.add(uid);
      upsert(uid, raw);
    }
    for (PodRecord rec : new ArrayList<>(pods.values())) {
      if (!seen.contains(rec.uid())) {
        rec.goneFromApi = true;
        enqueue(rec);
      }
    }
    removeOrphanSandboxes(seen);
    Set<String> keep = new HashSet<>(seen);
    keep.addAll(pods.keySet());
    syncer
        .volumes()
        .removeOrphans(keep)
        .onFailure(e -> LOG.warning("orphan pod directory cleanup failed: " + e.getMessage()));
  }

  @Override
  public void onEvent(String type, JsonNode raw) {
    String uid = raw.path("metadata").path("uid").asText();
    if (WatchEvent.DELETED.equals(type)) {
      PodRecord rec = pods.get(uid);
      if (rec != null) {
        rec.goneFromApi = true;
        enqueue(rec);
      }
      return;
    }
    upsert(uid, raw);
  }

  private void upsert(String uid, JsonNode raw) {
    if (uid.isEmpty() || finished.contains(uid)) {
      return;
    }
    PodRecord rec = pods.get(uid);
    try {
      if (rec == null) {
        rec = new PodRecord(raw);
      } else {
        rec.update(raw);
      }
    } catch (RuntimeException e) {
      // One pod we cannot read must not stop the others (nor the watch).
      LOG.warning("ignoring unreadable pod " + uid + ": " + e.getMessage());
      return;
    }
    if (!pods.containsKey(uid)) {
      PodRecord created = rec;
      pods.put(uid, rec);
      workers.put(uid, new PodWorker(rec, syncer::sync, this::forget));
      LOG.info(
          "pod "
              + created.pod().namespace()
              + "/"
              + created.pod().name()
              + " ("
              + uid
              + ") bound to this node");
    }
    enqueue(rec);
  }

  private void enqueue(PodRecord rec) {
    PodWorker w = workers.get(rec.uid());
    if (w != null) {
      w.enqueue();
    }
  }

  private void forget(PodRecord rec) {
    probes.removePod(rec.uid());
    pods.remove(rec.uid());
    workers.remove(rec.uid());
    finished.add(rec.uid());
  }

  /**
   * Sandboxes labelled with a pod uid that is neither in the API nor known to us belong to deleted
   * pods.
   */
  private void removeOrphanSandboxes(Set<String> liveUids) {
    if (cleaningOrphans) {
      return;
    }
    cleaningOrphans = true;
    cri.listPodSandbox(ListPodSandboxRequest.getDefaultInstance())
        .compose(
            resp -> {
              Set<String> orphans = new HashSet<>();
              for (PodSandbox s : resp.getItemsList()) {
                String uid = s.getLabelsMap().get(CriLabels.POD_UID);
                if (uid != null && !liveUids.contains(uid) && !pods.containsKey(uid)) {
                  orphans.add(uid);
                }
              }
              Future<Void> chain = Future.succeededFuture();
              for (String uid : orphans) {
                LOG.info("removing the sandboxes of pod " + uid + ", which no longer exists");
                chain = chain.compose(v -> syncer.killer().killRuntimeObjects(uid, 0));
              }
              return chain;
            })
        .onComplete(
            ar -> {
              cleaningOrphans = false;
              if (ar.failed()) {
                LOG.warning("orphan sandbox cleanup failed: " + ar.cause().getMessage());
              }
            });
  }
}
