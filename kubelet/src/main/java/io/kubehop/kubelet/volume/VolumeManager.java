package io.kubehop.kubelet.volume;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.core.Pod;
import io.kubehop.api.core.Volume;
import io.kubehop.api.core.VolumeProjection;
import io.kubehop.kubelet.apiserver.ApiClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Sets up the volumes of the pods of this node below {@code
 * <podsDir>/<uid>/volumes/<plugin>/<name>} (upstream's layout, e.g. {@code
 * kubernetes.io~configmap}), keeps configMap and secret volumes up to date, and removes a pod's
 * directory with the pod.
 *
 * <p>ConfigMaps and secrets are read with the kubelet's {@link ApiClient} on every sync of the pod
 * that comes at least {@code refresh} after the last read (upstream reads through a cache with a
 * TTL of about a minute), and at once when the pod's volumes or its labels and annotations (the
 * downward API) change; the files are written on a worker thread. Once a volume has been set up, a
 * failed refresh keeps its last content (as upstream: the running pod is not disturbed); before
 * that, the failure is the pod's: its containers are not created.
 *
 * <p>Confined to the kubelet's context but for the file work, which never touches {@link #states}.
 */
public final class VolumeManager {

  private static final Logger LOG = Logger.getLogger(VolumeManager.class.getName());

  /** How long configMap/secret contents read from the apiserver are used before reading again. */
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final ApiClient api;
  private final Path podsDir;
  private final Clock clock;
  private final Duration refresh;
  private final Map<String, State> states = new HashMap<>();

  private record State(
      List<Volume> spec,
      Map<String, String> labels,
      Map<String, String> annotations,
      Instant readAt,
      PodVolumes volumes,
      String lastError) {}

  public VolumeManager(Vertx vertx, ApiClient api, Path podsDir, Clock clock, Duration refresh) {
    this.vertx = vertx;
    this.api = api;
    this.podsDir = podsDir.toAbsolutePath().normalize();
    this.clock = clock;
    this.refresh = refresh;
  }

  /** {@code <podsDir>/<uid>}: everything the kubelet keeps on disk for one pod. */
  public Path podDir(String uid) {
    return podsDir.resolve(uid);
  }

  /** The volumes of a pod whose set-up has succeeded once, else null. */
  public PodVolumes current(String uid) {
    State s = states.get(uid);
    return s == null ? null : s.volumes();
  }

  /**
   * Sets up (or refreshes) the volumes of {@code pod}. Fails, with upstream's FailedMount message
   * ({@code MountVolume.SetUp failed for volume "x" : configmap "y" not found}), only while some
   * volume has never been set up.
   */
  public Future<PodVolumes> setUp(Pod pod) {
    String uid = pod.metadata().uid();
    State prev = states.get(uid);
    Instant now = clock.instant();
    List<Volume> spec = pod.spec().volumes();
    if (prev != null
        && prev.volumes() != null
        && prev.spec().equals(spec)
        && Objects.equals(prev.labels(), pod.metadata().labels())
        && Objects.equals(prev.annotations(), pod.metadata().annotations())
        && now.isBefore(prev.readAt().plus(refresh))) {
      return Future.succeededFuture(prev.volumes());
    }
    Map<String, Future<Fetched>> reads = new LinkedHashMap<>();
    for (Volume v : spec) {
      if (v.configMap() != null) {
        reads.computeIfAbsent(
            key("configmap", v.configMap().name()),
            k -> read("configmap", pod, v.configMap().name()));
      }
      if (v.secret() != null) {
        reads.computeIfAbsent(
            key("secret", v.secret().secretName()),
            k -> read("secret", pod, v.secret().secretName()));
      }
      if (v.projected() != null) {
        for (VolumeProjection p : v.projected().sources()) {
          if (p.configMap() != null) {
            reads.computeIfAbsent(
                key("configmap", p.configMap().name()),
                k -> read("configmap", pod, p.configMap().name()));
          }
          if (p.secret() != null) {
            reads.computeIfAbsent(
                key("secret", p.secret().name()), k -> read("secret", pod, p.secret().name()));
          }
        }
      }
    }
    PodVolumes previous = prev == null ? null : prev.volumes();
    Path podDir = podDir(uid);
    return Future.join(new ArrayList<>(reads.values()))
        .transform(
            ignored -> {
              Map<String, Fetched> fetched = new HashMap<>();
              reads.forEach((k, f) -> fetched.put(k, f.result()));
              return vertx.executeBlocking(
                  () -> materialize(pod, podDir, fetched, previous, clock), false);
            })
        .transform(
            ar -> {
              Outcome out = ar.succeeded() ? ar.result() : new Outcome(null, errorOf(ar.cause()));
              PodVolumes volumes = out.volumes() != null ? out.volumes() : previous;
              String error = out.error();
              String lastError = prev == null ? null : prev.lastError();
              if (error != null && !error.equals(lastError)) {
                LOG.warning(
                    "pod " + pod.namespace() + "/" + pod.name() + " (" + uid + "): " + error);
              }
              states.put(
                  uid,
                  new State(
                      spec,
                      pod.metadata().labels(),
                      pod.metadata().annotations(),
                      // Only a set-up pod takes the fast path; a failure before it reads again.
                      now,
                      volumes,
                      error));
              return volumes != null && out.volumes() != null
                  ? Future.succeededFuture(volumes)
                  : Future.failedFuture(new VolumeException(error));
            });
  }

  private static String errorOf(Throwable t) {
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  /** Removes a pod's directory (its volumes); the pod's containers are gone. */
  public Future<Void> tearDown(String uid) {
    states.remove(uid);
    Path dir = podDir(uid);
    return vertx.executeBlocking(
        () -> {
          AtomicWriter.deleteTree(dir);
          return null;
        },
        false);
  }

  /**
   * Removes the directories of pods that are not in {@code keep} (pods deleted while this kubelet
   * was not running, upstream's orphaned pod directories).
   */
  public Future<Void> removeOrphans(Set<String> keep) {
    Set<String> known = Set.copyOf(states.keySet());
    return vertx.executeBlocking(
        () -> {
          if (!Files.isDirectory(podsDir)) {
            return null;
          }
          List<Path> orphans = new ArrayList<>();
          try (Stream<Path> dirs = Files.list(podsDir)) {
            dirs.filter(
                    d -> {
                      String uid = d.getFileName().toString();
                      return !keep.contains(uid) && !known.contains(uid);
                    })
                .forEach(orphans::add);
          }
          for (Path d : orphans) {
            LOG.info(
                "removing the directory of pod " + d.getFileName() + ", which no longer exists");
            AtomicWriter.deleteTree(d);
          }
          return null;
        },
        false);
  }

  /**
   * What reading a configMap or secret gave: its JSON, or neither it nor an error (404), or the
   * error.
   */
  record Fetched(JsonNode object, String error) {}

  private static String key(String kind, String name) {
    return kind + "/" + name;
  }

  private Future<Fetched> read(String kind, Pod pod, String name) {
    if (name == null || name.isEmpty()) {
      return Future.succeededFuture(new Fetched(null, null));
    }
    String path = "/api/v1/namespaces/" + pod.namespace() + "/" + kind + "s/" + name;
    return api.get(path)
        .map(
            resp -> {
              if (resp.ok()) {
                return new Fetched(resp.json(), null);
              }
              if (resp.status() == 404) {
                return new Fetched(null, null);
              }
              return new Fetched(
                  null,
                  "failed to get "
                      + kind
                      + " \""
                      + name
                      + "\": HTTP "
                      + resp.status()
                      + " "
                      + resp.body().toString().strip());
            })
        .otherwise(
            e -> new Fetched(null, "failed to get " + kind + " \"" + name + "\": " + errorOf(e)));
  }

  /** The volumes set up, or (when one that was never set up failed) the first error. */
  record Outcome(PodVolumes volumes, String error) {}

  /** Blocking: writes every volume of the pod. */
  static Outcome materialize(
      Pod pod, Path podDir, Map<String, Fetched> fetched, PodVolumes previous, Clock clock)
      throws IOException {
    Map<String, PodVolumes.Mounted> mounted = new LinkedHashMap<>();
    String firstError = null;
    for (Volume v : pod.spec().volumes()) {
      try {
        mounted.put(v.name(), VolumeSetUp.setUp(pod, v, podDir, fetched, clock));
      } catch (VolumeException e) {
        PodVolumes.Mounted before = previous == null ? null : previous.get(v.name());
        if (before != null) {
          // Keep what the containers already see, as upstream does when a refresh fails.
          mounted.put(v.name(), before);
          if (firstError == null) {
            firstError =
                "MountVolume.SetUp failed for volume \"" + v.name() + "\" : " + e.getMessage();
          }
          continue;
        }
        return new Outcome(
            null, "MountVolume.SetUp failed for volume \"" + v.name() + "\" : " + e.getMessage());
      }
    }
    // A refresh failure is reported (logged) but the pod keeps going on its last content.
    return new Outcome(new PodVolumes(Collections.unmodifiableMap(mounted)), firstError);
  }
}
