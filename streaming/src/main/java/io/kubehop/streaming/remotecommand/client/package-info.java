/**
 * The client side of exec/attach over SPDY ({@link io.kubehop.streaming.remotecommand.client.SpdyExecutor}), for the
 * kubehop CLI and the WebSocket-to-SPDY translator.
 */
package io.kubehop.streaming.remotecommand.client;
