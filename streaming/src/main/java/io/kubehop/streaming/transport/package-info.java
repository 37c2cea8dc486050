/**
 * Byte transports under the streaming protocols: {@link io.kubehop.streaming.transport.DuplexTransport} (a
 * NetSocket today, WebSocket binary messages later) and {@link io.kubehop.streaming.transport.PostUpgrades}, which lets
 * a Vert.x HttpServer take kubectl's POST upgrades.
 */
package io.kubehop.streaming.transport;
