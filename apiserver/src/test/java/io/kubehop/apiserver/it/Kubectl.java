package io.kubehop.apiserver.it;

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
 * Runs a stock kubectl binary against a test apiserver: a kubeconfig with {@code server: http://127.0.0.1:<port>}
 * and a private {@code --cache-dir}. A missing binary skips the test, or fails it when {@code CI=true}.
 */
final class Kubectl {

  static final String DIR = "/usr/lib/google-cloud-sdk/bin/";

  /** What a kubectl run printed. */
  record Result(int code, String out, String err) {}

  private final Path binary;
  private final Path kubeconfig;
  private final Path cacheDir;

  Kubectl(String version, String server, Path work) throws IOException {
    binary = Path.of(DIR + "kubectl." + version);
    if (!Files.isExecutable(binary)) {
      if ("true".equals(System.getenv("CI"))) {
        fail("kubectl binary missing: " + binary);
      }
      Assumptions.abort("kubectl binary missing: " + binary);
    }
    Files.createDirectories(work);
    kubeconfig = work.resolve("kubeconfig");
    cacheDir = work.resolve("cache");
    Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: " + server
        + "\n  name: kubehop\ncontexts:\n- context:\n    cluster: kubehop\n    user: kubehop\n    namespace: default\n"
        + "  name: kubehop\ncurrent-context: kubehop\nusers:\n- name: kubehop\n  user:\n    token: test\n");
  }

  ProcessBuilder builder(String... args) {
    List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString(),
        "--cache-dir", cacheDir.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("KUBECONFIG");
    return pb;
  }

  Result run(String... args) throws IOException, InterruptedException {
    Process p = builder(args).start();
    p.getOutputStream().close();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("kubectl " + String.join(" ", args) + " did not finish");
    }
    return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
