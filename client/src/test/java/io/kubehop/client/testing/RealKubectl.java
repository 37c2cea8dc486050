package io.kubehop.client.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a stock kubectl against a fake server, for byte-for-byte comparisons. Missing kubectl fails the test when
 * {@code CI=true} and skips it otherwise.
 */
public final class RealKubectl {

  public static final Path KUBECTL_1_33 = Path.of("/usr/lib/google-cloud-sdk/bin/kubectl.1.33");

  private RealKubectl() {
  }

  /** Fails (CI) or skips (elsewhere) when kubectl 1.33 is not installed. */
  public static Path require() {
    if (!Files.isExecutable(KUBECTL_1_33)) {
      if ("true".equals(System.getenv("CI"))) {
        fail("kubectl is required under CI=true but " + KUBECTL_1_33 + " is missing");
      }
      Assumptions.abort(KUBECTL_1_33 + " is not installed");
    }
    return KUBECTL_1_33;
  }

  /** kubectl's stdout, stderr and exit code for {@code args}, with a fresh cache dir. */
  public static Cli.Result run(Path kubeconfig, Path cacheDir, String... args) throws IOException,
      InterruptedException {
    List<String> command = new ArrayList<>(List.of(require().toString(), "--kubeconfig", kubeconfig.toString(),
        "--cache-dir", cacheDir.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(cacheDir, "out", ".txt");
    Path err = Files.createTempFile(cacheDir, "err", ".txt");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    int rc;
    if (process.waitFor(20, TimeUnit.SECONDS)) {
      rc = process.exitValue();
    } else {
      process.destroyForcibly().waitFor();
      rc = -1; // did not finish; the caller's assertions show what it printed
    }
    return new Cli.Result(rc, Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
