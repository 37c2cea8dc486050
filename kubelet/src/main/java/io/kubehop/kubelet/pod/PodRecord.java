package io.kubehop.kubelet.pod;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.core.Pod;
import io.kubehop.api.core.PodStatus;
import io.kubehop.api.json.ApiJson;
import java.util.HashMap;
import java.util.Map;

/**
 * The kubelet's state for one pod it runs. Confined to the kubelet's context; mutated only by the
 * pod's {@link PodWorker} (sync) and by {@link PodManager} (new API versions).
 */
public final class PodRecord {

  private JsonNode raw;
  private Pod pod;

  /**
   * The pod disappeared from the API (DELETED event or missing from a list): tear it down, no final
   * DELETE.
   */
  boolean goneFromApi;

  /** Teardown finished: the record can be dropped. */
  boolean finished;

  String sandboxId;
  String podIp = "";
  String startTime;
  PodStatus lastReported;
  PodStatus current;
  String lastError;

  /**
   * Per container name: the CRI id whose logs are "current" (state running/terminated, or lastState
   * while waiting).
   */
  final Map<String, String> currentContainerIds = new HashMap<>();

  /**
   * Per container name: the CRI id of lastState.terminated (the logs {@code previous=true} reads).
   */
  final Map<String, String> previousContainerIds = new HashMap<>();

  PodRecord(JsonNode raw) {
    update(raw);
  }

  /** Takes a new version of the pod; throws (and keeps the old one) if it cannot be read. */
  void update(JsonNode raw) {
    Pod parsed = ApiJson.fromTree(raw, Pod.class);
    if (parsed.metadata() == null || parsed.spec() == null || parsed.metadata().uid() == null) {
      throw new IllegalArgumentException("a pod needs metadata.uid and spec");
    }
    this.pod = parsed;
    this.raw = raw;
  }

  public Pod pod() {
    return pod;
  }

  public JsonNode raw() {
    return raw;
  }

  /** The CRI sandbox of the pod, or null before it has one. */
  public String sandboxId() {
    return sandboxId;
  }

  public String uid() {
    return pod.metadata().uid();
  }

  /** The status last computed by a sync (null before the first one). */
  public PodStatus currentStatus() {
    return current;
  }

  public String currentContainerId(String container) {
    return currentContainerIds.get(container);
  }

  public String previousContainerId(String container) {
    return previousContainerIds.get(container);
  }

  /** The pod must be torn down: it has a deletionTimestamp or left the API. */
  boolean terminating() {
    return goneFromApi || pod.metadata().deletionTimestamp() != null;
  }

  /**
   * The grace period for stopping containers: deletionGracePeriodSeconds, else the spec's (default
   * 30).
   */
  long gracePeriodSeconds() {
    Long deletion = pod.metadata().deletionGracePeriodSeconds();
    return deletion != null ? deletion : pod.spec().effectiveGracePeriodSeconds();
  }
}
