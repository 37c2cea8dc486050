package io.kubehop.e2e.support;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * External tools the end-to-end tests drive. Under {@code CI=true} a missing tool fails the test; elsewhere the
 * test is skipped with the reason, so a laptop without kubectl 1.27 still runs the rest.
 */
public final class Tools {

  private Tools() {
    throw new AssertionError("No instances.");
  }

  /** The stock kubectl of the given minor version, e.g. {@code kubectl("1.33")}. */
  public static Path kubectl(String minor) {
    return require(Path.of("/usr/lib/google-cloud-sdk/bin/kubectl." + minor), "kubectl " + minor);
  }

  /** A tool found on the PATH, e.g. {@code onPath("lsof")}. */
  public static Path onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return require(Path.of("/usr/bin", name), name);
  }

  private static Path require(Path path, String what) {
    if (Files.isExecutable(path)) {
      return path;
    }
    String message = what + " is required by this test and missing at " + path;
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(message + " (CI=true: missing tools fail, they never skip)");
    }
    assumeTrue(false, message);
    return path;
  }
}
