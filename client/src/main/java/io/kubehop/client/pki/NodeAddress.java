package io.kubehop.client.pki;

import java.net.InetAddress;

/**
 * A node the cluster will run a kubelet for: its name (the {@code system:node:NAME} user, the
 * directory {@code pki/nodes/NAME}) and the IP its kubelet serves on (its {@code InternalIP}).
 *
 * @param name a DNS-1123 subdomain, as node names are
 * @param ip the node's address
 */
public record NodeAddress(String name, InetAddress ip) {

  public NodeAddress {
    if (!DnsNames.isSubdomain(name)) {
      throw new IllegalArgumentException(
          "invalid node name \"" + name + "\": must be a lower case DNS-1123 subdomain");
    }
  }

  /**
   * {@code NAME=IP}, as {@code --node} takes it.
   *
   * @throws IllegalArgumentException when it is not of that form
   */
  public static NodeAddress parse(String nameEqualsIp) {
    int eq = nameEqualsIp.indexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException(
          "invalid node \"" + nameEqualsIp + "\": want NAME=IP, e.g. node-1=127.0.0.1");
    }
    return new NodeAddress(
        nameEqualsIp.substring(0, eq), AltNames.ip(nameEqualsIp.substring(eq + 1)));
  }

  /** The kubelet's user, as the Node authorizer knows it. */
  public String user() {
    return "system:node:" + name;
  }
}
