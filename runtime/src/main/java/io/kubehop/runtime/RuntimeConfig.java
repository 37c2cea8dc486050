package io.kubehop.runtime;

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
 */
public record RuntimeConfig(
    Path home, String nodeName, Path socket, String podCidr, String streamingAddress) {

  /** The runtime's own state: {@code $HOME/nodes/<node>/runtime/}. */
  public Path stateDir() {
    return home.resolve("nodes").resolve(nodeName).resolve("runtime");
  }

  /** The default socket: {@code $HOME/nodes/<node>/runtime.sock}. */
  public static Path defaultSocket(Path home, String nodeName) {
    return home.resolve("nodes").resolve(nodeName).resolve("runtime.sock");
  }
}
