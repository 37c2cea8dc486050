package io.kubehop.runtime.isolation;

import java.nio.file.Path;

/**
 * One bind mount into a container's root: a host file or directory shown at a path inside the
 * container, read-only or not (an image's share of the host, or a CRI mount: a volume).
 *
 * @param hostPath what is mounted, a host path
 * @param containerPath where, an absolute path inside the container
 * @param readOnly mounted read-only
 */
public record Bind(Path hostPath, String containerPath, boolean readOnly) {

  public Bind {
    if (!containerPath.startsWith("/")) {
      throw new IllegalArgumentException(
          "a mount's container path must be absolute: " + containerPath);
    }
  }
}
