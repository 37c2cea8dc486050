package io.kubehop.runtime;

import io.kubehop.runtime.isolation.Isolation;
import io.kubehop.streaming.transport.Liveness;
import java.nio.file.Path;

/**
 * The runtime's settings (from its flags).
 *
 * @param home the kubehop home ({@code --home})
 * @param nodeName the node this runtime serves ({@code --node-name})
 * @param socket the CRI unix socket ({@code --socket})
 * @param podCidr the range pod IPs come from ({@code --pod-cidr})
 * @param streamingAddress where the CRI streaming server listens, on a random port ({@code
 *     --streaming-address})
 * @param liveness the streaming server's idle timeout ({@code --streaming-connection-idle-timeout},
 *     containerd's {@code stream_idle_timeout}, 4 h) and keepalive ({@code
 *     --streaming-connection-keepalive}, off)
 * @param isolation how containers are isolated ({@code --isolation}, auto: with Linux namespaces
 *     where the host allows)
 */
public record RuntimeConfig(
    Path home,
    String nodeName,
    Path socket,
    String podCidr,
    String streamingAddress,
    Liveness liveness,
    Isolation.Mode isolation) {

  public RuntimeConfig {
    if (liveness == null) {
      liveness = Liveness.DEFAULT;
    }
    if (isolation == null) {
      isolation = Isolation.Mode.AUTO;
    }
  }

  /**
   * With upstream's 4 h idle timeout, no keepalive and no isolation (tests of the process
   * plumbing).
   */
  public RuntimeConfig(
      Path home, String nodeName, Path socket, String podCidr, String streamingAddress) {
    this(home, nodeName, socket, podCidr, streamingAddress, Liveness.DEFAULT, Isolation.Mode.NONE);
  }

  /** This config with another isolation mode. */
  public RuntimeConfig withIsolation(Isolation.Mode mode) {
    return new RuntimeConfig(home, nodeName, socket, podCidr, streamingAddress, liveness, mode);
  }

  /** The runtime's own state: {@code $HOME/nodes/<node>/runtime/}. */
  public Path stateDir() {
    return home.resolve("nodes").resolve(nodeName).resolve("runtime");
  }

  /** The default socket: {@code $HOME/nodes/<node>/runtime.sock}. */
  public static Path defaultSocket(Path home, String nodeName) {
    return home.resolve("nodes").resolve(nodeName).resolve("runtime.sock");
  }
}
