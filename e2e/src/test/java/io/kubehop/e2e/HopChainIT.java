package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.Lsof;
import io.kubehop.e2e.support.OsProcesses;
import io.kubehop.e2e.support.Pods;
import io.kubehop.e2e.support.PtySession;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Commands;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Who holds the exec connection: the lsof experiment in proxy mode (KEP-1558, the default) and in
 * the legacy redirect mode, the 1 GiB transfer under tight heaps, and error cases that must leave
 * nothing behind.
 */
class HopChainIT {

  private static PtySession interactiveShell(KubehopCluster cluster) {
    Kubectl kubectl = cluster.kubectl("1.29");
    PtySession pty =
        PtySession.start(
            kubectl.command("exec", "-it", "demo", "--", "sh"), kubectl.environment(), 24, 80);
    pty.type("echo session-$((6*7))\r");
    pty.await("session-42", 0, Duration.ofSeconds(30));
    return pty;
  }

  private static List<String> added(List<String> before, List<String> after) {
    List<String> added = new ArrayList<>(after);
    before.forEach(added::remove);
    return added;
  }

  @Test
  void proxyModeKubeletHoldsOneSocketFromTheApiserverAndOneToTheRuntime() {
    try (KubehopCluster cluster = KubehopCluster.up()) {
      new Pods(cluster).runBusybox("demo", "sleep", "3600");
      long kubelet = cluster.pid("kubelet-node-1");
      int streamingPort = Lsof.listening(cluster.pid("runtime-node-1")).get(0);
      List<String> before = Lsof.established(kubelet);
      try (PtySession pty = interactiveShell(cluster)) {
        List<String> during = added(before, Lsof.established(kubelet));
        List<String> fromApiserver =
            during.stream().filter(c -> Lsof.localPort(c) == cluster.kubeletPort()).toList();
        List<String> toRuntime =
            during.stream().filter(c -> Lsof.remotePort(c) == streamingPort).toList();
        assertThat(fromApiserver)
            .as("new connections to :%d in %s", cluster.kubeletPort(), during)
            .hasSize(1);
        assertThat(fromApiserver.get(0))
            .startsWith("127.0.1.1:" + cluster.kubeletPort() + "->127.0.0.1:");
        assertThat(toRuntime)
            .as("new connections to the runtime's :%d in %s", streamingPort, during)
            .hasSize(1);
        assertThat(toRuntime.get(0))
            .startsWith("127.0.0.1:")
            .endsWith("->127.0.0.1:" + streamingPort);
        pty.type("exit\r");
        assertThat(pty.waitFor(Duration.ofSeconds(30))).isZero();
      }
      Await.until(
          "the kubelet's session sockets to close",
          Duration.ofSeconds(10),
          () ->
              added(before, Lsof.established(kubelet)).stream()
                  .noneMatch(
                      c ->
                          Lsof.localPort(c) == cluster.kubeletPort()
                              || Lsof.remotePort(c) == streamingPort));
    }
  }

  @Test
  void redirectModeApiserverHoldsTheRuntimeSocketAndTheKubeletNone() {
    try (KubehopCluster cluster = KubehopCluster.up("--redirect-container-streaming")) {
      new Pods(cluster).runBusybox("demo", "sleep", "3600");
      long kubelet = cluster.pid("kubelet-node-1");
      long apiserver = cluster.pid("apiserver");
      int streamingPort = Lsof.listening(cluster.pid("runtime-node-1")).get(0);
      List<String> kubeletBefore = Lsof.established(kubelet);
      try (PtySession pty = interactiveShell(cluster)) {
        List<String> kubeletDuring = added(kubeletBefore, Lsof.established(kubelet));
        assertThat(kubeletDuring)
            .as("the kubelet gains no streaming socket")
            .noneMatch(
                c ->
                    Lsof.localPort(c) == cluster.kubeletPort()
                        || Lsof.remotePort(c) == streamingPort);
        assertThat(Lsof.established(apiserver))
            .as("the apiserver dials the runtime itself")
            .anyMatch(c -> Lsof.remotePort(c) == streamingPort);
        pty.type("exit\r");
        assertThat(pty.waitFor(Duration.ofSeconds(30))).isZero();
      }
      // kubectl 1.33's WebSocket is translated at the apiserver, whose SPDY side follows the
      // kubelet's redirect too
      // (upstream's translator rejects redirects, so this failed there)
      ProcessResult webSocket =
          cluster.kubectl("1.33").run("exec", "demo", "--", "echo", "over-websocket");
      assertThat(webSocket.stdout()).as(webSocket.toString()).isEqualTo("over-websocket\n");
    }
  }

  @Test
  void oneGibibyteFlowsThroughTightHeaps() {
    // 96 MiB heaps: a tier that buffered the stream instead of pushing back would die of
    // OutOfMemoryError.
    try (KubehopCluster cluster =
        KubehopCluster.up(
            Map.of("KUBEHOP_JAVA_OPTS", "-Xmx96m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"))) {
      new Pods(cluster).runBusybox("demo", "sleep", "3600");
      String kubectl = Kubectl.binary("1.29") + " --kubeconfig " + cluster.kubeconfig();
      ProcessResult result =
          Commands.run(
              List.of("sh", "-c", kubectl + " exec demo -- head -c 1073741824 /dev/zero | wc -c"),
              Map.of("HOME", cluster.home().toString()),
              null,
              Duration.ofMinutes(5));
      assertThat(result.stdout().trim()).as(result.toString()).isEqualTo("1073741824");
      // the same through WebSocket v5 (kubectl 1.33's default), translated to SPDY at the apiserver
      ProcessResult webSocket =
          Commands.run(
              List.of(
                  "sh",
                  "-c",
                  Kubectl.binary("1.33")
                      + " --kubeconfig "
                      + cluster.kubeconfig()
                      + " exec demo -- head -c 1073741824 /dev/zero | wc -c"),
              Map.of("HOME", cluster.home().toString()),
              null,
              Duration.ofMinutes(5));
      assertThat(webSocket.stdout().trim()).as(webSocket.toString()).isEqualTo("1073741824");

      // A slow reader (4 MiB per 0.25 s) gets every byte: the tail waits in kernel buffers and in
      // spdystream's
      // queues after the status, and no tier may close before kubectl did (it lost up to 1.7 MiB
      // that way).
      ProcessResult slow =
          Commands.run(
              List.of(
                  "sh",
                  "-c",
                  kubectl
                      + " exec demo -- head -c 67108864 /dev/zero"
                      + " | (total=0; while :; do n=$(dd bs=1048576 count=4 iflag=fullblock status=none | wc -c);"
                      + " [ \"$n\" -eq 0 ] && break; total=$((total+n)); sleep 0.25; done; echo $total)"),
              Map.of("HOME", cluster.home().toString()),
              null,
              Duration.ofMinutes(2));
      assertThat(slow.stdout().trim()).as(slow.toString()).isEqualTo("67108864");
      for (String tier : List.of("apiserver", "kubelet-node-1", "runtime-node-1")) {
        assertThat(ProcessHandle.of(cluster.pid(tier)))
            .as(tier + " alive")
            .hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
      }
    }
  }

  @Test
  void errorsGiveKubectlsMessagesAndLeaveNothingBehind() throws IOException {
    try (KubehopCluster cluster = KubehopCluster.up()) {
      new Pods(cluster).runBusybox("demo", "sleep", "3600");
      Kubectl kubectl = cluster.kubectl("1.29");
      Map<String, Long> fds = new HashMap<>();
      Map<String, Long> threads = new HashMap<>();
      List<String> tiers = List.of("apiserver", "kubelet-node-1", "runtime-node-1");
      kubectl.run(
          "exec", "demo", "--",
          "true"); // warm up: lazily created pools and threads exist from here on
      for (String tier : tiers) {
        fds.put(tier, OsProcesses.count(cluster.pid(tier), "fd"));
        threads.put(tier, OsProcesses.unpooledThreads(cluster.pid(tier)));
      }

      ProcessResult noPod = kubectl.run("exec", "nopod", "--", "true");
      assertThat(noPod.exitCode()).isEqualTo(1);
      assertThat(noPod.stderr())
          .isEqualTo("Error from server (NotFound): pods \"nopod\" not found\n");

      ProcessResult noContainer = kubectl.run("exec", "demo", "-c", "nope", "--", "true");
      assertThat(noContainer.exitCode()).isEqualTo(1);
      assertThat(noContainer.stderr()).contains("container nope is not valid for pod demo");

      String response = rawUpgrade(cluster, "v9.channel.k8s.io");
      assertThat(response)
          .startsWith("HTTP/1.1 403 ")
          .containsIgnoringCase("X-Accepted-Stream-Protocol-Versions: v4.channel.k8s.io")
          .contains(
              "unable to upgrade: unable to negotiate protocol: client supports [v9.channel.k8s.io], "
                  + "server accepts [");

      for (String tier : tiers) {
        long pid = cluster.pid(tier);
        Await.until(
            tier + " back to its fds",
            Duration.ofSeconds(15),
            () -> OsProcesses.count(pid, "fd") <= fds.get(tier) + 2);
        Await.until(
            tier + " back to its threads",
            Duration.ofSeconds(15),
            () -> OsProcesses.unpooledThreads(pid) <= threads.get(tier) + 2);
      }
    }
  }

  /**
   * A SPDY exec upgrade offering only {@code protocol}, written by hand; returns the whole
   * response.
   */
  private static String rawUpgrade(KubehopCluster cluster, String protocol) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", cluster.apiserverPort())) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /api/v1/namespaces/default/pods/demo/exec?command=true&container=demo&stdout=true HTTP/1.1\r\n"
                  + "Host: 127.0.0.1\r\nContent-Length: 0\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                  + "X-Stream-Protocol-Version: "
                  + protocol
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
