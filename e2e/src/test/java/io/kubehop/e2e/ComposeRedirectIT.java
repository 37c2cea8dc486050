package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubehop.e2e.support.ComposeStack;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.RunningCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code compose/redirect.yml} on top of the main file: the kubelets answer exec with a redirect to
 * their runtime's streaming server, which listens on the node's cluster IP, and the apiserver
 * follows it. So during an exec the apiserver container holds the connection to the runtime, and
 * the kubelet container holds no socket for it at all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposeRedirectIT {

  private ComposeStack stack;

  @BeforeAll
  void up(@TempDir Path tmp) throws IOException {
    stack = ComposeStack.up(tmp, "compose/redirect.yml");
    stack.runPod("bb", "node-1", "busybox", "--", "sleep", "3600");
  }

  @AfterAll
  void down() {
    if (stack != null) {
      stack.down();
    }
  }

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.29", "1.33"})
  void theApiserverHoldsTheConnectionToTheRuntime(String minor) throws IOException {
    Kubectl kubectl = stack.kubectl(minor);
    ProcessResult exit = kubectl.run("exec", "bb", "--", "sh", "-c", "echo redirected; exit 3");
    assertThat(exit.stdout()).as("%s", exit).isEqualTo("redirected\n");
    assertThat(exit.exitCode()).as("%s", exit).isEqualTo(3);

    String runtime = stack.lsof("node-1-runtime", "runtime");
    Matcher listen =
        Pattern.compile("TCP " + Pattern.quote(stack.ip(1)) + ":(\\d+) \\(LISTEN\\)")
            .matcher(runtime);
    assertThat(listen.find())
        .as("the runtime's streaming server on the node IP: %s", runtime)
        .isTrue();
    String streaming = listen.group(1);
    String toRuntime =
        "TCP "
            + Pattern.quote(stack.ip(0))
            + ":\\d+->"
            + Pattern.quote(stack.ip(1))
            + ":"
            + streaming
            + " \\(ESTABLISHED\\)";
    String toKubeletsLoopback = "->127\\.0\\.0\\.1:" + streaming + " ";
    String fromApiserver = ":10250->" + Pattern.quote(stack.ip(0)) + ":\\d+ \\(ESTABLISHED\\)";
    String kubeletBefore = stack.lsof("node-1-kubelet", "kubelet");
    try (RunningCommand exec =
        kubectl.start("exec", "bb", "--", "sh", "-c", "echo started; sleep 60")) {
      exec.awaitStdout("started", Duration.ofSeconds(30));
      String apiserver = stack.lsof("apiserver", "apiserver");
      String kubelet = stack.lsof("node-1-kubelet", "kubelet");
      assertThat(ComposeIT.count(apiserver, toRuntime)).as(apiserver).isEqualTo(1);
      assertThat(ComposeIT.count(kubelet, toKubeletsLoopback)).as(kubelet).isZero();
      assertThat(ComposeIT.count(kubelet, fromApiserver))
          .as(
              "the kubelet holds nothing for the session: before %s, during %s",
              kubeletBefore, kubelet)
          .isEqualTo(ComposeIT.count(kubeletBefore, fromApiserver));
    }
  }
}
