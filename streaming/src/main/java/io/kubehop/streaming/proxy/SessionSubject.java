package io.kubehop.streaming.proxy;

import java.util.List;

/**
 * What a streaming session is about, as the tier that accepted it resolved it before dialling on.
 *
 * @param subresource {@code exec}, {@code attach} or {@code portforward}
 * @param pod {@code namespace/name}
 * @param container the container; null for port-forward
 * @param backend the next tier, e.g. {@code kubelet node-1 (127.0.1.1:10250)}
 * @param command an exec's command; empty otherwise
 * @param user who opened it, where the tier knows (the apiserver authenticated them); else null
 */
public record SessionSubject(
    String subresource,
    String pod,
    String container,
    Peer backend,
    List<String> command,
    String user) {

  public SessionSubject {
    command = command == null ? List.of() : List.copyOf(command);
  }

  /** A subject whose user this tier does not know. */
  public SessionSubject(
      String subresource, String pod, String container, Peer backend, List<String> command) {
    this(subresource, pod, container, backend, command, null);
  }

  /** A subject without a command (attach, port-forward). */
  public SessionSubject(String subresource, String pod, String container, Peer backend) {
    this(subresource, pod, container, backend, List.of());
  }
}
