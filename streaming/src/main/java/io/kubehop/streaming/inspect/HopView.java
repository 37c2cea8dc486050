package io.kubehop.streaming.inspect;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

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
 * @param node the node whose kubelet is at the other end, where {@code peer} is {@code kubelet}
 * @param protocol e.g. {@code websocket v5.channel.k8s.io}, {@code spdy/3.1 v5.channel.k8s.io},
 *     {@code spdy/3.1 portforward.k8s.io tunnelled in websocket}, {@code tcp}
 * @param bytesIn bytes read from this socket since the session began on it, framing (and TLS)
 *     included, as the kernel counts them ({@code ss -ti} {@code bytes_received})
 * @param bytesOut bytes written to it, likewise ({@code bytes_sent})
 * @param openedAt when the session's upgrade completed (RFC 3339, UTC, milliseconds)
 * @param idleSeconds whole seconds since the last byte either way, while the session is open
 * @param halfClosed {@code in} when the peer ended its sending (FIN read) and this end may still
 *     write, {@code out} when this end sent its FIN and still reads (a lingering close), {@code
 *     both}; absent while neither direction is shut, and once the socket is closed
 * @param tls true when the socket carries TLS (the protocol runs inside it); absent for plain TCP
 * @param faults the injected faults in force on this socket ({@code kubehop fault}), e.g. {@code
 *     bandwidth 1MiB/s (f1)}; absent when none. Only the tier that plays a hop's faults reports
 *     them
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HopView(
    String tier,
    long pid,
    String local,
    String remote,
    String peer,
    String node,
    String protocol,
    Long bytesIn,
    Long bytesOut,
    String openedAt,
    Long idleSeconds,
    String halfClosed,
    Boolean tls,
    List<String> faults) {}
