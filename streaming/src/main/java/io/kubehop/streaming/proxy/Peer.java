package io.kubehop.streaming.proxy;

/**
 * A tier a session passes through, as named in reports: {@code kubelet node-1 (127.0.1.1:10250)},
 * or {@code runtime (127.0.0.1:38471)} when it has no name of its own.
 *
 * @param role {@code kubelet}, {@code runtime}, …
 * @param name e.g. the node name; null when the role alone names it
 * @param address {@code host:port} as this tier dials it
 */
public record Peer(String role, String name, String address) {

  /** {@code kubelet node-1 (127.0.1.1:10250)}. */
  public String describe() {
    return role + (name == null ? "" : " " + name) + " (" + address + ")";
  }
}
