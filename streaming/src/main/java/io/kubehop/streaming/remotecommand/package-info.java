/**
 * exec/attach remotecommand protocols ({@code channel.k8s.io} … {@code v5.channel.k8s.io}):
 * versions, stream types, options, terminal sizes, the error-stream status (server) and its decoder
 * (client).
 */
package io.kubehop.streaming.remotecommand;
