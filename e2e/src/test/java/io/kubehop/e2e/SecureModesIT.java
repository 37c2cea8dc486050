package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.Pods;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The other two streaming modes with the secure defaults: in redirect mode the apiserver follows
 * the kubelet's redirect to the runtime's plain-HTTP streaming server (single-use token, as
 * containerd's), in kubelet-translation mode it passes the WebSocket through to the kubelet over
 * TLS. kubectl 1.33 (WebSocket) and 1.29 (SPDY) exec through both.
 */
class SecureModesIT {

  static Stream<Arguments> modes() {
    return Stream.of(
        Arguments.of("redirect", List.of("--redirect-container-streaming")),
        Arguments.of("kubelet-translation", List.of("--websocket-translation", "kubelet")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void kubectlExecsOverEveryTransport(String mode, List<String> flags) {
    try (KubehopCluster cluster = KubehopCluster.upSecure(flags.toArray(String[]::new))) {
      assertThat(cluster.secure()).isTrue();
      new Pods(cluster).runBusybox("demo", "sleep", "3600");
      for (String minor : List.of("1.33", "1.29")) {
        Kubectl kubectl = cluster.kubectl(minor);
        ProcessResult exec =
            kubectl.run("exec", "demo", "--", "sh", "-c", "echo " + mode + "; exit 7");
        assertThat(exec.stdout()).as(minor + " " + exec).isEqualTo(mode + "\n");
        assertThat(exec.exitCode()).as(minor + " " + exec).isEqualTo(7);
      }
      // kubehop's client on each transport too, ending with the exit code, not at a timeout:
      // behind the apiserver's splice of a kubelet-translated WebSocket, the end of the kubelet's
      // TLS connection used to reach the client as a close_notify only, which Vert.x ignores
      for (String transport : List.of("websocket", "spdy")) {
        ProcessResult exec =
            cluster.kubehop(
                null,
                Duration.ofSeconds(30),
                "exec",
                "--transport=" + transport,
                "demo",
                "--",
                "sh",
                "-c",
                "echo " + mode + "; exit 7");
        assertThat(exec.stdout()).as(transport + " " + exec).isEqualTo(mode + "\n");
        assertThat(exec.exitCode()).as(transport + " " + exec).isEqualTo(7);
      }
    }
  }
}
