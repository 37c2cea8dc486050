package io.kubehop.client.pki;

import java.net.URI;
import java.util.List;

/**
 * What {@link ClusterPki#ensure} is to make sure of.
 *
 * @param server the apiserver's URL, written into every kubeconfig; must be https
 * @param apiserverSans names the apiserver certificate must hold besides the fixed ones (127.0.0.1,
 *     localhost, kubernetes, kubernetes.default, kubernetes.default.svc), e.g. its bind address
 * @param nodes the nodes to make kubelet credentials for
 * @param regenerate make everything anew, even what could be kept
 */
public record PkiRequest(
    URI server, AltNames apiserverSans, List<NodeAddress> nodes, boolean regenerate) {

  public PkiRequest {
    if (!"https".equals(server.getScheme()) || server.getHost() == null) {
      throw new IllegalArgumentException(
          "invalid server \"" + server + "\": want https://HOST:PORT");
    }
    nodes = List.copyOf(nodes);
    if (nodes.stream().map(NodeAddress::name).distinct().count() != nodes.size()) {
      throw new IllegalArgumentException("a node is named twice in " + nodes);
    }
  }
}
