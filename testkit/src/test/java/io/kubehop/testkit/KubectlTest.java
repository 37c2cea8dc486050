package io.kubehop.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubectlTest {

  /**
   * Whatever the developer's shell says, kubectl runs at its defaults unless the test sets a
   * variable.
   */
  @Test
  void theClientVariablesAreRemovedUnlessSet() {
    Kubectl kubectl =
        new Kubectl("1.33", Path.of("/tmp/kubeconfig"), Path.of("/tmp/cache"))
            .env("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false");
    Map<String, String> environment =
        new HashMap<>(
            Map.of(
                "KUBECONFIG",
                "/home/me/.kube/config",
                "KUBECTL_PORT_FORWARD_WEBSOCKETS",
                "true",
                "PATH",
                "/usr/bin"));
    Commands.environment(environment, kubectl.environment());
    assertEquals(
        Map.of("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false", "PATH", "/usr/bin"), environment);
  }

  @Test
  void theCommandNamesTheKubeconfigAndTheCacheDir() {
    Kubectl kubectl = new Kubectl("1.33", Path.of("/tmp/kubeconfig"), Path.of("/tmp/cache"));
    assertEquals(
        Arrays.asList(
            Kubectl.DIR.resolve("kubectl.1.33").toString(),
            "--kubeconfig",
            "/tmp/kubeconfig",
            "--cache-dir",
            "/tmp/cache",
            "version",
            "--client"),
        kubectl.command("version", "--client"));
  }

  /**
   * Every kubectl the matrices name is there and runs: under CI=true a missing one fails here (and
   * in every test that needs it), elsewhere this skips.
   */
  @Test
  void everyMinorIsInstalledAndReportsItsVersion() {
    for (String minor : Kubectl.MINORS) {
      ProcessResult version =
          new Kubectl(
                  minor, Path.of("/nonexistent/kubeconfig"), Path.of("/tmp/kubehop-kubectl-cache"))
              .run("version", "--client", "-o", "json");
      assertEquals(0, version.exitCode(), version.toString());
      assertTrue(
          version.stdout().contains("\"gitVersion\": \"v" + minor + "."), minor + ": " + version);
    }
  }
}
