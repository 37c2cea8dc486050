package io.kubehop.streaming.remotecommand.client;

import io.vertx.core.MultiMap;

/**
 * A successful exec/attach upgrade as the client saw it: the wire form ({@code "websocket"} or
 * {@code "spdy"}), the negotiated protocol ({@code v5.channel.k8s.io}, …) and the 101's response
 * headers (e.g. the session id a hop echoed). Given to an executor's {@code onUpgraded} callback
 * before any stream data flows.
 */
public record Upgrade(String transport, String protocol, MultiMap responseHeaders) {

  public static final String WEBSOCKET = "websocket";
  public static final String SPDY = "spdy";
}
