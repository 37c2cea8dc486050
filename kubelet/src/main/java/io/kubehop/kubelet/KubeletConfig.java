package io.kubehop.kubelet;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the kubelet is configured with, resolved from its flags.
 *
 * @param home the kubehop home directory
 * @param nodeName the Node object this kubelet registers
 * @param nodeIp the address it binds to and reports as InternalIP and hostIP
 * @param port the kubelet server port (0 = random)
 * @param apiserver base URL of the apiserver, e.g. {@code http://127.0.0.1:6443}
 * @param runtimeSocket the CRI unix socket
 * @param nodeStatusUpdateFrequency heartbeat period
 * @param resyncPeriod how often every pod is synced against the runtime (notices container exits)
 * @param crashLoopBackOffBase the first crash-loop delay (upstream: 10s)
 * @param crashLoopBackOffMax the crash-loop cap (upstream: 5m)
 * @param redirectContainerStreaming stored for the streaming endpoints (issue 3)
 */
public record KubeletConfig(
    Path home,
    String nodeName,
    String nodeIp,
    int port,
    String apiserver,
    Path runtimeSocket,
    Duration nodeStatusUpdateFrequency,
    Duration resyncPeriod,
    Duration crashLoopBackOffBase,
    Duration crashLoopBackOffMax,
    boolean redirectContainerStreaming) {

  /** {@code $HOME/nodes/<node>/pods}: the root of the CRI log directories. */
  public Path podLogsRoot() {
    return home.resolve("nodes").resolve(nodeName).resolve("pods");
  }
}
