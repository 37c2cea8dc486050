package io.kubehop.kubelet.volume;

import java.nio.file.Path;
import java.util.Map;

/**
 * The volumes of a pod as set up on this node, by volume name.
 *
 * @param volumes each volume's directory, and whether every mount of it must be read-only (the API
 *     data volumes: configMap, secret, downwardAPI, projected, as upstream since 1.10)
 */
public record PodVolumes(Map<String, Mounted> volumes) {

  public record Mounted(Path dir, boolean readOnly) {}

  public Mounted get(String name) {
    return name == null ? null : volumes.get(name);
  }
}
