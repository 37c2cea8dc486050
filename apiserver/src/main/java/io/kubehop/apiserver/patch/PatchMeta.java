package io.kubehop.apiserver.patch;

import java.util.Map;
import java.util.Set;

/**
 * The patch strategies of the core/v1 types kubehop serves, as the Go struct tags {@code
 * patchStrategy:"merge" patchMergeKey:"…"} declare them. Paths are dotted field paths from the
 * object root; list elements add nothing to the path ({@code spec.containers.env} is the env list
 * of any container).
 */
public final class PatchMeta {

  private static final Map<String, String> MERGE_KEYS =
      Map.ofEntries(
          Map.entry("metadata.ownerReferences", "uid"),
          Map.entry("spec.containers", "name"),
          Map.entry("spec.initContainers", "name"),
          Map.entry("spec.ephemeralContainers", "name"),
          Map.entry("spec.containers.env", "name"),
          Map.entry("spec.initContainers.env", "name"),
          Map.entry("spec.ephemeralContainers.env", "name"),
          Map.entry("spec.containers.ports", "containerPort"),
          Map.entry("spec.initContainers.ports", "containerPort"),
          Map.entry("spec.containers.volumeMounts", "mountPath"),
          Map.entry("spec.initContainers.volumeMounts", "mountPath"),
          Map.entry("spec.ephemeralContainers.volumeMounts", "mountPath"),
          Map.entry("spec.containers.volumeDevices", "devicePath"),
          Map.entry("spec.initContainers.volumeDevices", "devicePath"),
          Map.entry("spec.containers.resizePolicy", "resourceName"),
          Map.entry("spec.volumes", "name"),
          Map.entry("spec.imagePullSecrets", "name"),
          Map.entry("spec.hostAliases", "ip"),
          Map.entry("spec.topologySpreadConstraints", "topologyKey"),
          Map.entry("spec.readinessGates", "conditionType"),
          Map.entry("spec.resourceClaims", "name"),
          Map.entry("spec.schedulingGates", "name"),
          Map.entry("status.conditions", "type"),
          Map.entry("status.addresses", "type"),
          Map.entry("status.podIPs", "ip"));

  /** Lists of scalars merged as sets ({@code patchStrategy:"merge"} without a key). */
  private static final Set<String> MERGED_SCALAR_LISTS = Set.of("metadata.finalizers");

  private PatchMeta() {
    throw new AssertionError("No instances.");
  }

  /** The merge key of the list at {@code path}, or null when the list is replaced atomically. */
  public static String mergeKey(String path) {
    return MERGE_KEYS.get(path);
  }

  public static boolean mergesScalars(String path) {
    return MERGED_SCALAR_LISTS.contains(path);
  }
}
