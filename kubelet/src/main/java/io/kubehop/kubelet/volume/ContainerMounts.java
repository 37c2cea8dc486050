package io.kubehop.kubelet.volume;

import io.kubehop.api.core.Container;
import io.kubehop.api.core.VolumeMount;
import io.kubehop.cri.v1.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The CRI mounts of one container, in its {@code volumeMounts} order (upstream's {@code
 * makeMounts}). A failure is the container's CreateContainerConfigError. Blocking (a subPath is
 * created and resolved on disk): call it off the event loop.
 */
public final class ContainerMounts {

  private static final Logger LOG = Logger.getLogger(ContainerMounts.class.getName());

  private ContainerMounts() {
    throw new AssertionError("No instances.");
  }

  public static List<Mount> build(Container c, PodVolumes volumes) throws VolumeException {
    List<Mount> mounts = new ArrayList<>();
    Set<String> mountPaths = new HashSet<>();
    for (VolumeMount m : c.volumeMounts()) {
      PodVolumes.Mounted vol = volumes.get(m.name());
      if (vol == null) {
        throw new VolumeException(
            "cannot find volume \"" + m.name() + "\" to mount into container \"" + c.name() + "\"");
      }
      String mountPath = m.mountPath() == null ? "" : m.mountPath();
      if (!mountPath.isEmpty() && !mountPath.startsWith("/")) {
        // Upstream makes a relative mountPath absolute.
        mountPath = "/" + mountPath;
      }
      // The apiserver rejects these; a pod that got past one must not reach the runtime.
      if (mountPath.isEmpty() || !mountPaths.add(normalized(mountPath))) {
        throw new VolumeException(
            "volumeMount \""
                + m.name()
                + "\" of container \""
                + c.name()
                + "\": mountPath \""
                + mountPath
                + "\" must be "
                + (mountPath.isEmpty() ? "given" : "unique"));
      }
      Path host = vol.dir().toAbsolutePath().normalize();
      String subPath = m.subPath();
      if (subPath != null && !subPath.isEmpty()) {
        host = subPath(vol.dir(), subPath, m.name(), c.name());
      }
      mounts.add(
          Mount.newBuilder()
              .setContainerPath(mountPath)
              .setHostPath(host.toString())
              .setReadonly(m.isReadOnly() || vol.readOnly())
              .build());
    }
    return mounts;
  }

  private static String normalized(String mountPath) {
    try {
      return Path.of(mountPath).normalize().toString();
    } catch (InvalidPathException e) {
      return mountPath;
    }
  }

  /**
   * The host path of {@code subPath} within a volume: created as a directory when missing (with the
   * volume directory's mode), and resolved through symlinks, so that a configMap key is the file of
   * the current {@code ..<timestamp>} directory (which, like upstream's, a later update does not
   * change); it must stay within the volume.
   */
  static Path subPath(Path volumeDir, String subPath, String volumeName, String containerName)
      throws VolumeException {
    if (subPath.startsWith("/")) {
      throw new VolumeException("error SubPath `" + subPath + "` must not be an absolute path");
    }
    for (String element : subPath.split("/")) {
      if (element.equals("..")) {
        throw new VolumeException(
            "unable to provision SubPath `" + subPath + "`: must not contain '..'");
      }
    }
    // As upstream, the details stay in the kubelet's log: they describe the host's filesystem.
    String which = " for volumeMount \"" + volumeName + "\" of container \"" + containerName + "\"";
    Path base;
    Path p;
    try {
      base = volumeDir.toRealPath();
      p = base.resolve(subPath).normalize();
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(p);
        Files.setPosixFilePermissions(p, Files.getPosixFilePermissions(base));
      }
    } catch (IOException | InvalidPathException e) {
      LOG.warning("cannot create subPath " + subPath + " in " + volumeDir + ": " + e);
      throw new VolumeException("failed to create subPath directory" + which);
    }
    try {
      Path real = p.toRealPath();
      if (!real.startsWith(base)) {
        LOG.warning(
            "subPath " + subPath + " of " + volumeDir + " resolves to " + real + ", outside");
        throw new VolumeException("failed to prepare subPath" + which);
      }
      return real;
    } catch (IOException e) {
      LOG.warning("cannot resolve subPath " + subPath + " in " + volumeDir + ": " + e);
      throw new VolumeException("failed to prepare subPath" + which);
    }
  }
}
