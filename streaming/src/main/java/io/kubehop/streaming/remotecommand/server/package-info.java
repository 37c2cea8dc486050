/**
 * The server side of exec/attach over SPDY: {@link io.kubehop.streaming.remotecommand.server.RemoteCommandServer}
 * (handshake → 101 → session), {@link io.kubehop.streaming.remotecommand.server.StreamWaiter} (one for all versions),
 * and the {@link io.kubehop.streaming.remotecommand.server.Executor} port a runtime implements.
 */
package io.kubehop.streaming.remotecommand.server;
