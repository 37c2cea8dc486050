package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.testkit.Commands;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/kubehop demo lsof} runs the experiment on a cluster of its own and prints its two
 * pictures: in proxy mode the kubelet gains one socket from the apiserver on its port and one to
 * the runtime's streaming server; in redirect mode the kubelet gains nothing and the apiserver
 * holds the socket to the runtime. Every line it marks as the session's is one kubehop trace lists.
 * With {@code --apiservers 2} the session's sockets show on the one apiserver trace names, and on
 * no other.
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

  @Test
  void severalApiserversTheSessionsSocketsAreOnTheOneApiserverTraceNames() {
    Tools.onPath("etcd");
    if (!Files.isExecutable(Path.of("/usr/sbin/haproxy"))) {
      Tools.onPath("haproxy");
    }
    String out = demo("--apiservers", "2").stdout();
    Matcher named =
        Pattern.compile("(?m)^  exec default/demo/demo  sleep 3600  on (apiserver-[12])  ")
            .matcher(out);
    assertThat(named.find()).as(out).isTrue();
    String holder = named.group(1);
    String other = holder.equals("apiserver-1") ? "apiserver-2" : "apiserver-1";
    assertThat(out)
        .containsPattern("    apiserver-1 127\\.0\\.0\\.1:\\d+ \\(pid \\d+\\)\\n")
        .containsPattern("    apiserver-2 127\\.0\\.0\\.1:\\d+ \\(pid \\d+\\)\\n")
        .contains("   Which apiserver: " + holder + ".")
        .contains(other + " gained none of the session's sockets")
        .contains("5. The kubelet holds the long connection")
        .contains(
            "6. The session ended: no apiserver and not the kubelet holds any of its sockets now.");
    String gained =
        out.substring(out.indexOf("3. What each tier gained"), out.indexOf("4. kubehop trace"));
    // the holder gained the session's two sockets: from the client (through HAProxy), to the
    // kubelet
    String held = block(gained, holder);
    assertThat(held.lines().filter(l -> l.endsWith("; this session")).toList())
        .hasSize(2)
        .anyMatch(l -> l.contains("from a client through HAProxy, on this apiserver's own port"))
        .anyMatch(l -> l.contains("to the kubelet's port"));
    // the other gained none of them (a client's pooled connection at most)
    assertThat(block(gained, other).lines().filter(l -> l.endsWith("; this session"))).isEmpty();
  }

  /** The lines step 3 prints for one tier: its head line and the connections under it. */
  private static String block(String gained, String tier) {
    int start = gained.indexOf("  " + tier + " (pid");
    assertThat(start).as(gained).isNotNegative();
    Matcher next = Pattern.compile("(?m)^  \\S").matcher(gained);
    int end = next.find(gained.indexOf('\n', start)) ? next.start() : gained.length();
    return gained.substring(start, end);
  }
}
