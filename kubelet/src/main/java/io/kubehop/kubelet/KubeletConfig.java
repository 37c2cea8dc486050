package io.kubehop.kubelet;

import io.kubehop.streaming.transport.Liveness;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the kubelet is configured with, resolved from its flags.
 *
 * @param home the kubehop home directory
 * @param nodeName the Node object this kubelet registers
 * @param nodeIp the address it reports as its Node's InternalIP and its pods' hostIP ({@code
 *     --node-ip}); the apiserver dials it
 * @param port the kubelet server port (0 = random)
 * @param apiserver base URL of the apiserver, e.g. {@code http://127.0.0.1:6443}
 * @param runtimeSocket the CRI unix socket
 * @param nodeStatusUpdateFrequency heartbeat period
 * @param resyncPeriod how often every pod is synced against the runtime (notices container exits)
 * @param crashLoopBackOffBase the first crash-loop delay (upstream: 10s)
 * @param crashLoopBackOffMax the crash-loop cap (upstream: 5m)
 * @param redirectContainerStreaming answer exec/attach with a 302 to the runtime instead of
 *     proxying
 * @param webSocketTranslation translate {@code v5.channel.k8s.io} WebSocket exec/attach to SPDY
 *     here, and say so in the node annotation {@code kubelet.kubernetes.io/streaming-protocols}
 *     (1.36's ExtendWebSocketsToKubelet)
 * @param security TLS toward callers and the apiserver, and who may call ({@link
 *     KubeletSecurity#NONE}: plain HTTP)
 * @param address the address its server binds to ({@code --address}; upstream's flag of that name);
 *     the same as {@code nodeIp} unless the node is behind a NAT or in a container, where it may be
 *     {@code 0.0.0.0}
 * @param liveness the idle timeout of its streaming sessions ({@code
 *     --streaming-connection-idle-timeout}, upstream's flag, 4 h) and their keepalive ({@code
 *     --streaming-connection-keepalive}, off)
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
    boolean redirectContainerStreaming,
    boolean webSocketTranslation,
    KubeletSecurity security,
    String address,
    Liveness liveness) {

  public KubeletConfig {
    if (liveness == null) {
      liveness = Liveness.DEFAULT;
    }
  }

  /** Plain HTTP, bound to {@code nodeIp} (tests). */
  public KubeletConfig(
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
      boolean redirectContainerStreaming,
      boolean webSocketTranslation) {
    this(
        home,
        nodeName,
        nodeIp,
        port,
        apiserver,
        runtimeSocket,
        nodeStatusUpdateFrequency,
        resyncPeriod,
        crashLoopBackOffBase,
        crashLoopBackOffMax,
        redirectContainerStreaming,
        webSocketTranslation,
        KubeletSecurity.NONE,
        nodeIp,
        Liveness.DEFAULT);
  }

  /** {@code $HOME/nodes/<node>/pods}: the root of the CRI log directories. */
  public Path podLogsRoot() {
    return home.resolve("nodes").resolve(nodeName).resolve("pods");
  }

  /**
   * {@code $HOME/nodes/<node>/kubelet/pods}: one directory per pod uid holding its volumes, as
   * upstream's {@code /var/lib/kubelet/pods}.
   */
  public Path podsDir() {
    return home.resolve("nodes").resolve(nodeName).resolve("kubelet").resolve("pods");
  }
}
