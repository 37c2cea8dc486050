package io.kubehop.runtime.isolation;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A container's root filesystem, as it will be mounted in the container's own mount namespace: an
 * overlay of the image's layer (read-only) and the container's upper directory (its writes), then
 * the binds in order (the image's, then the CRI mounts: its volumes). Nothing of it is mounted in
 * the runtime's namespace, so nothing can leak there: the mounts end with the container's last
 * process.
 *
 * @param dir the container's directory: {@code rootfs} (the mount point), {@code upper}, {@code
 *     work}
 * @param layer the image's layer
 * @param binds the binds on top, in mount order
 * @param workingDir the container's working directory, inside the container
 */
public record RootfsPlan(Path dir, Path layer, List<Bind> binds, String workingDir) {

  public RootfsPlan {
    binds = List.copyOf(binds);
  }

  public Path rootfs() {
    return dir.resolve("rootfs");
  }

  public Path upper() {
    return dir.resolve("upper");
  }

  public Path work() {
    return dir.resolve("work");
  }

  /**
   * Where a path of the container is on the host before the container runs: under the last bind
   * that covers it, else in the upper directory if the file is there, else in the image's layer.
   * What the runtime uses to find a container's executable before starting it.
   */
  public Path hostPathOf(String containerPath) {
    for (int i = binds.size() - 1; i >= 0; i--) {
      Bind bind = binds.get(i);
      Optional<String> rest = below(bind.containerPath(), containerPath);
      if (rest.isPresent()) {
        return rest.get().isEmpty() ? bind.hostPath() : bind.hostPath().resolve(rest.get());
      }
    }
    String relative = containerPath.replaceFirst("^/+", "");
    Path upperPath = upper().resolve(relative);
    return java.nio.file.Files.exists(upperPath) ? upperPath : layer.resolve(relative);
  }

  /** The part of {@code path} below {@code mountPoint} ("" for the mount point itself). */
  private static Optional<String> below(String mountPoint, String path) {
    String base =
        mountPoint.endsWith("/") ? mountPoint.substring(0, mountPoint.length() - 1) : mountPoint;
    if (path.equals(base) || base.isEmpty() && path.equals("/")) {
      return Optional.of("");
    }
    if (path.startsWith(base + "/")) {
      return Optional.of(path.substring(base.length() + 1));
    }
    return Optional.empty();
  }
}
