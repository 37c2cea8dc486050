package io.kubehop.streaming.proxy;

/**
 * What a streaming session is about, as the tier that accepted it resolved it before dialling on.
 *
 * @param subresource {@code exec}, {@code attach} or {@code portforward}
 * @param pod {@code namespace/name}
 * @param container the container; null for port-forward
 * @param backend the next tier, e.g. {@code kubelet node-1 (127.0.1.1:10250)}
 */
public record SessionSubject(String subresource, String pod, String container, Peer backend) {}
