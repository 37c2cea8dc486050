package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.testkit.Commands;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.Tools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/kubehop demo lsof} runs the experiment on a cluster of its own and prints its two
 * pictures: in proxy mode the kubelet gains one socket from the apiserver on its port and one to
 * the runtime's streaming server; in redirect mode the kubelet gains nothing and the apiserver
 * holds the socket to the runtime. Every line it marks as the session's is one kubehop trace lists.
 */
class DemoLsofIT {

  private static ProcessResult demo(String... flags) {
    Tools.onPath("lsof"); // under CI=true a missing lsof fails here, it does not skip
    List<String> command =
        new ArrayList<>(
            List.of(KubehopCluster.root().resolve("bin/kubehop").toString(), "demo", "lsof"));
    command.addAll(List.of(flags));
    Map<String, String> env = new HashMap<>();
    env.put("KUBEHOP_HOME", null);
    env.put("KUBECONFIG", null);
    ProcessResult r =
        Commands.run(command, env, null, Duration.ofMinutes(3), KubehopCluster.root());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  @Test
  void proxyModeTheKubeletGainsOneSocketFromTheApiserverAndOneToTheRuntime() {
    String out = demo().stdout();
    assertThat(out)
        .containsPattern(
            "kubelet   \\(pid \\d+\\) gained:\\n"
                + "(    .*\\n)*"
                + "    127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:\\d+ +to the runtime's streaming server;"
                + " this session\\n")
        .containsPattern(
            "    127\\.0\\.1\\.1:\\d+->127\\.0\\.0\\.1:\\d+ +from the apiserver, on the kubelet's port;"
                + " this session\\n")
        .containsPattern(
            "    127\\.0\\.0\\.1:\\d+->127\\.0\\.1\\.1:\\d+ +to the kubelet's port; this session\\n")
        .contains("5. The kubelet holds the long connection")
        .contains(
            "6. The session ended: neither the apiserver nor the kubelet holds any of its sockets"
                + " now.");
    // The kubelet's two new sockets are exactly the session's.
    String kubelet = out.substring(out.indexOf("kubelet   (pid"), out.indexOf("4. kubehop trace"));
    assertThat(kubelet.lines().filter(l -> l.startsWith("    ")).toList())
        .hasSize(2)
        .allMatch(l -> l.endsWith("; this session"));
  }

  @Test
  void redirectModeTheKubeletGainsNothingAndTheApiserverHoldsTheRuntimeSocket() {
    String out = demo("--mode", "redirect", "--transport", "spdy").stdout();
    assertThat(out)
        .containsPattern("kubelet   \\(pid \\d+\\) gained nothing\\n")
        .containsPattern(
            "    127\\.0\\.0\\.1:\\d+->127\\.0\\.1\\.1:\\d+ +to the runtime's streaming server;"
                + " this session\\n")
        .containsPattern("    apiserver 127\\.0\\.0\\.1:\\d+ +-> runtime +127\\.0\\.1\\.1:\\d+")
        .contains("5. The kubelet gained nothing")
        .contains(
            "6. The session ended: neither the apiserver nor the kubelet holds any of its sockets"
                + " now.");
  }
}
