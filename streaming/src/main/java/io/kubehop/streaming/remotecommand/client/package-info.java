/**
 * The client side of exec/attach: over SPDY ({@link
 * io.kubehop.streaming.remotecommand.client.SpdyExecutor}) and over WebSocket ({@link
 * io.kubehop.streaming.remotecommand.client.WebSocketExecutor}, v5 first), the {@link
 * io.kubehop.streaming.remotecommand.client.StreamExecutor} seam and the {@link
 * io.kubehop.streaming.remotecommand.client.FallbackExecutor} (WebSocket first, SPDY on upgrade
 * failure), for the kubehop CLI, the stream translator and tests.
 */
package io.kubehop.streaming.remotecommand.client;
