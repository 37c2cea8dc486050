/**
 * The CRI streaming server a runtime embeds (the kubelet's {@code cri/streaming}): {@link
 * io.kubehop.streaming.cri.StreamingServer} parks {@code Exec}, {@code Attach} and {@code
 * PortForward} requests under one-time tokens and serves their URLs with the remotecommand and
 * port-forward endpoints; the runtime supplies the processes and the pod connections through {@link
 * io.kubehop.streaming.cri.StreamingServer.Runtime}. Nothing else in the streaming module depends
 * on this package.
 */
package io.kubehop.streaming.cri;
