/**
 * SPDY/3.1 sessions as moby/spdystream runs them (no flow control, TCP back-pressure, GOAWAY last),
 * confined to a Vert.x context; {@link io.kubehop.streaming.spdy.SpdyDialer} is the client side of
 * the upgrade.
 */
package io.kubehop.streaming.spdy;
