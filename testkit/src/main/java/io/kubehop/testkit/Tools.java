package io.kubehop.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * External tools that tests drive (kubectl, lsof), and the one policy for a missing one: under
 * {@code CI=true} the test fails, since CI must run everything; elsewhere it is skipped with the
 * reason, so that a laptop without, say, kubectl 1.27 still runs the rest.
 */
public final class Tools {

  private Tools() {
    throw new AssertionError("No instances.");
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

  /** {@code path} if it is an executable; otherwise fails the test (CI) or skips it (elsewhere). */
  public static Path require(Path path, String what) {
    if (Files.isExecutable(path)) {
      return path;
    }
    String message = what + " is required by this test and missing at " + path;
    if (onCi()) {
      fail(message + " (CI=true: missing tools fail, they never skip)");
    }
    Assumptions.abort(message);
    return path;
  }

  /** Whether this run is CI's ({@code CI=true}, as CI services set it). */
  public static boolean onCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }
}
