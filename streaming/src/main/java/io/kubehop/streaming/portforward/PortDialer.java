package io.kubehop.streaming.portforward;

import io.vertx.core.Future;
import io.vertx.core.net.NetSocket;

/** Opens a connection to a port of the pod (the runtime dials the pod IP). */
@FunctionalInterface
public interface PortDialer {

  /**
   * A connection to {@code port} of the pod. Fail with {@link PodGoneException} when the pod no
   * longer exists: that is reported to a SPDY client (which then stops); other failures end that
   * one connection quietly (see {@link ForwardingError}); a WebSocket client gets every failure on
   * the port's error channel. Called on the session's event loop; a Vert.x {@code
   * NetClient.connect} from there completes on it, before the socket delivers any data, which is
   * what the server relies on to set its handlers in time.
   */
  Future<NetSocket> dial(int port);
}
