package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubehop.e2e.support.ComposeStack;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code compose/several-apiservers.yml} on top of the main file: {@code apiserver} is HAProxy on
 * the published port, in front of {@code apiserver-1} and {@code apiserver-2} on one {@code etcd}
 * container. Stock kubectl on the host, with the kubeconfig the stack wrote (unchanged: the same
 * server and CA), finds both nodes Ready and execs into a pod on each node, over SPDY (1.29) and
 * WebSocket (1.33); each apiserver, asked directly inside its own container, has the pods (one
 * etcd), and the balancer's log shows connections given to both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposeSeveralApiserversIT {

  private ComposeStack stack;

  @BeforeAll
  void up(@TempDir Path tmp) throws IOException {
    stack = ComposeStack.up(tmp, "compose/several-apiservers.yml");
    stack.runPod("bb-node-1", "node-1", "busybox", "--", "sleep", "3600");
    stack.runPod("bb-node-2", "node-2", "busybox", "--", "sleep", "3600");
  }

  @AfterAll
  void down() {
    if (stack != null) {
      stack.down();
    }
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.29", "1.33"})
  void getAndExecThroughTheBalancer(String minor) throws IOException {
    Kubectl kubectl = stack.kubectl(minor);
    ProcessResult nodes = kubectl.run("get", "nodes", "--no-headers");
    assertThat(nodes.stdout().lines().filter(l -> l.matches("node-[12]\\s+Ready\\s.*")))
        .as("%s", nodes)
        .hasSize(2);
    for (String node : List.of("node-1", "node-2")) {
      ProcessResult exec =
          kubectl.run(
              "exec",
              "bb-" + node,
              "--",
              "sh",
              "-c",
              "echo hi from $(cat /proc/sys/kernel/hostname); exit 3");
      assertThat(exec.stdout()).as("%s", exec).isEqualTo("hi from " + node + "\n");
      assertThat(exec.exitCode()).as("%s", exec).isEqualTo(3);
    }
  }

  @Test
  void bothApiserversServeTheOneEtcdsObjectsAndTheBalancerUsesBoth() throws IOException {
    for (String apiserver : List.of("apiserver-1", "apiserver-2")) {
      ProcessResult pod =
          stack.exec(
              apiserver,
              "curl",
              "-sf",
              "--cacert",
              "/var/lib/kubehop/pki/ca.crt",
              "--cert",
              "/var/lib/kubehop/pki/admin.crt",
              "--key",
              "/var/lib/kubehop/pki/admin.key",
              "https://127.0.0.1:6443/api/v1/namespaces/default/pods/bb-node-2");
      assertThat(pod.exitCode()).as("%s: %s", apiserver, pod).isZero();
      assertThat(pod.stdout()).as(apiserver).contains("\"name\":\"bb-node-2\"");
    }
    Kubectl kubectl = stack.kubectl("1.33");
    for (int i = 0; i < 4; i++) {
      assertThat(kubectl.run("get", "pods").exitCode()).isZero();
    }
    // one line per connection (option logasap): "… apiserver apiservers/apiserver-N …"
    String log = stack.logs("apiserver");
    assertThat(log).as(log).contains("apiservers/apiserver-1").contains("apiservers/apiserver-2");
  }
}
