/**
 * The {@code channel.k8s.io} WebSocket protocols of exec and attach: subprotocol names ({@link
 * io.kubehop.streaming.websocket.ChannelProtocol}), the pure message codec ({@link
 * io.kubehop.streaming.websocket.ChannelCodec}), the server handshake on Vert.x ({@link
 * io.kubehop.streaming.websocket.ChannelHandshake}) and the five channels over one WebSocket as a
 * {@link io.kubehop.streaming.httpstream.StreamConnection} ({@link
 * io.kubehop.streaming.websocket.ChannelConnection}), shared by the server, the client executor and
 * the stream translator.
 */
package io.kubehop.streaming.websocket;
