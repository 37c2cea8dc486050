/**
 * The server side of exec/attach: {@link
 * io.kubehop.streaming.remotecommand.server.RemoteCommandServer} (SPDY: handshake → 101 → session;
 * WebSocket requests go to its {@link
 * io.kubehop.streaming.remotecommand.server.WebSocketRemoteCommandServer}), {@link
 * io.kubehop.streaming.remotecommand.server.StreamWaiter} (one for all SPDY versions), and the
 * {@link io.kubehop.streaming.remotecommand.server.Executor} port a runtime implements, shared by
 * both transports.
 */
package io.kubehop.streaming.remotecommand.server;
