package io.kubehop.runtime.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Resolves a container's entrypoint the way an OCI runtime does: a name with a slash is a path
 * (relative to the working directory), a bare name is looked up on the container's own {@code
 * PATH}, not the runtime's.
 */
public final class ExecutableResolver {

  private ExecutableResolver() {}

  /** The executable's path, or empty when there is no executable file of that name. */
  public static Optional<Path> resolve(String name, String path, Path workingDir) {
    if (name.isEmpty()) {
      return Optional.empty();
    }
    if (name.contains("/")) {
      Path candidate = workingDir.resolve(name);
      return isExecutable(candidate) ? Optional.of(candidate) : Optional.empty();
    }
    for (String dir : (path == null ? "" : path).split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * The same lookup in a container's own root: paths are the container's, {@code hostPathOf} says
   * where each is on the host. Returns the executable's path inside the container.
   */
  public static Optional<String> resolveIn(
      Function<String, Path> hostPathOf, String name, String path, String workingDir) {
    if (name.isEmpty()) {
      return Optional.empty();
    }
    if (name.contains("/")) {
      String candidate = Path.of(workingDir).resolve(name).normalize().toString();
      return isExecutable(hostPathOf.apply(candidate)) ? Optional.of(candidate) : Optional.empty();
    }
    for (String dir : (path == null ? "" : path).split(":")) {
      if (dir.startsWith("/")) {
        String candidate = (dir.endsWith("/") ? dir : dir + "/") + name;
        if (isExecutable(hostPathOf.apply(candidate))) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean isExecutable(Path candidate) {
    return Files.isRegularFile(candidate) && Files.isExecutable(candidate);
  }
}
