package io.kubehop.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.streaming.transport.Liveness;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class KubeletMainTest {

  private static KubeletConfig parse(String... args) {
    KubeletMain main = new KubeletMain();
    new CommandLine(main).parseArgs(args);
    return main.config();
  }

  @Test
  void defaultsFollowDesignMd() {
    KubeletConfig c = parse("--home", "/h");
    assertEquals(Path.of("/h"), c.home());
    assertEquals("node-1", c.nodeName());
    assertEquals("127.0.1.1", c.nodeIp());
    assertEquals("127.0.1.1", c.address());
    assertEquals(10250, c.port());
    assertEquals("http://127.0.0.1:6443", c.apiserver());
    assertEquals(Path.of("/h/nodes/node-1/runtime.sock"), c.runtimeSocket());
    assertEquals(Duration.ofSeconds(10), c.nodeStatusUpdateFrequency());
    assertEquals(Duration.ofSeconds(1), c.resyncPeriod());
    assertEquals(Duration.ofSeconds(1), c.crashLoopBackOffBase());
    assertEquals(Duration.ofSeconds(10), c.crashLoopBackOffMax());
    assertFalse(c.redirectContainerStreaming());
    assertEquals(new Liveness(Duration.ofHours(4), Duration.ZERO), c.liveness());
  }

  @Test
  void takesEveryFlag() {
    KubeletConfig c =
        parse(
            "--home",
            "/h",
            "--node-name",
            "node-2",
            "--node-ip",
            "127.0.1.2",
            "--port",
            "0",
            "--apiserver",
            "http://127.0.0.1:7000",
            "--runtime-endpoint",
            "unix:///tmp/r.sock",
            "--node-status-update-frequency",
            "500ms",
            "--sync-frequency",
            "2s",
            "--crash-loop-backoff",
            "10s",
            "--crash-loop-backoff-max",
            "5m",
            "--redirect-container-streaming",
            "--streaming-connection-idle-timeout",
            "1h30m",
            "--streaming-connection-keepalive",
            "20s");
    assertEquals("node-2", c.nodeName());
    assertEquals("127.0.1.2", c.nodeIp());
    assertEquals(0, c.port());
    assertEquals("http://127.0.0.1:7000", c.apiserver());
    assertEquals(Path.of("/tmp/r.sock"), c.runtimeSocket());
    assertEquals(Duration.ofMillis(500), c.nodeStatusUpdateFrequency());
    assertEquals(Duration.ofSeconds(2), c.resyncPeriod());
    assertEquals(Duration.ofSeconds(10), c.crashLoopBackOffBase());
    assertEquals(Duration.ofMinutes(5), c.crashLoopBackOffMax());
    assertTrue(c.redirectContainerStreaming());
    assertEquals(new Liveness(Duration.ofMinutes(90), Duration.ofSeconds(20)), c.liveness());
    assertEquals(
        Duration.ZERO, parse("--streaming-connection-idle-timeout=0").liveness().idleTimeout());
    assertFalse(parse("--redirect-container-streaming=false").redirectContainerStreaming());
  }

  @Test
  void addressDefaultsToTheNodeIp() {
    KubeletConfig c = parse("--home", "/h", "--node-ip", "127.0.1.7");
    assertEquals("127.0.1.7", c.nodeIp());
    assertEquals("127.0.1.7", c.address());
  }

  @Test
  void addressIsWhatTheServerBindsAndNodeIpWhatItAdvertises() {
    KubeletConfig c = parse("--home", "/h", "--node-ip", "172.30.0.11", "--address", "0.0.0.0");
    assertEquals("172.30.0.11", c.nodeIp());
    assertEquals("0.0.0.0", c.address());
  }
}
