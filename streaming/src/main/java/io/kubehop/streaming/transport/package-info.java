/**
 * The bottom layer of the streaming protocols: byte transports ({@link
 * io.kubehop.streaming.transport.DuplexTransport} over a NetSocket or WebSocket binary messages),
 * how a splice ends ({@link io.kubehop.streaming.transport.LingeringClose}), kubectl's POST
 * upgrades ({@link io.kubehop.streaming.transport.PostUpgrades}), the one {@code Connection}/{@code
 * Upgrade} check ({@link io.kubehop.streaming.transport.UpgradeHeaders}), idle timers, context
 * confinement, and the one class that reaches into Vert.x internals ({@link
 * io.kubehop.streaming.transport.VertxInternals}).
 *
 * <p>The packages of this module are layers that point one way, {@code transport ← httpstream ←
 * {spdy, websocket} ← remotecommand ← portforward ← {proxy, cri}}, checked by {@code LayeringTest}.
 */
package io.kubehop.streaming.transport;
