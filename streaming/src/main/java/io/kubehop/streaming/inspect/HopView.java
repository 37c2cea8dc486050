package io.kubehop.streaming.inspect;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One socket a tier holds for a session, seen from that tier: {@code local} is its own end, so the
 * connection between two tiers appears twice, once from each, with the ends swapped.
 *
 * @param tier the tier holding the socket
 * @param pid that tier's process
 * @param local {@code ip:port} of this end, as the kernel reports it ({@code lsof -Pn} NAME)
 * @param remote {@code ip:port} of the other end
 * @param peer what is at the other end: {@code client}, {@code apiserver}, {@code kubelet}, {@code
 *     runtime}, or {@code pod} (a port-forward's connection into the pod)
 * @param protocol e.g. {@code websocket v5.channel.k8s.io}, {@code spdy/3.1 v5.channel.k8s.io},
 *     {@code spdy/3.1 portforward.k8s.io tunnelled in websocket}, {@code tcp}
 * @param bytesIn bytes read from this socket, where the tier counts them
 * @param bytesOut bytes written to it, where the tier counts them
 * @param openedAt when the session's upgrade completed (RFC 3339, UTC, milliseconds)
 * @param idleSeconds whole seconds since the last byte either way, where counted
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HopView(
    String tier,
    long pid,
    String local,
    String remote,
    String peer,
    String protocol,
    Long bytesIn,
    Long bytesOut,
    String openedAt,
    Long idleSeconds) {}
