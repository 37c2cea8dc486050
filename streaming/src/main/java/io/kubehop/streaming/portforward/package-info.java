/**
 * The port-forward endpoint of a streaming server (kubelet's {@code cri/streaming/portforward}):
 * {@link io.kubehop.streaming.portforward.PortForwardServer} serves SPDY {@code portforward.k8s.io}
 * (stream pairs per client connection) and the legacy WebSocket channel protocol (one target
 * connection per {@code port} parameter), and reaches the pod through a {@link
 * io.kubehop.streaming.portforward.PortDialer}.
 */
package io.kubehop.streaming.portforward;
