package io.kubehop.apiserver.it;

import io.kubehop.api.meta.Times;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A kubelet that answers every request head with a SPDY 101 ({@code v4.channel.k8s.io}) and then
 * holds the connection, on 127.0.1.1, and the Ready Node that points the apiserver at it.
 */
final class FakeKubelet {

  static final String ADDRESS = "127.0.1.1";

  private FakeKubelet() {
    throw new AssertionError("No instances.");
  }

  /** Listens; {@code upgraded} gets each socket once its 101 is written. Returns the port. */
  static int listen(Vertx vertx, Consumer<NetSocket> upgraded) {
    return vertx
        .createNetServer()
        .connectHandler(
            socket -> {
              Buffer head = Buffer.buffer();
              socket.handler(
                  b -> {
                    head.appendBuffer(b);
                    if (head.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                      socket.handler(x -> {});
                      socket.write(
                          "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                              + "Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n");
                      upgraded.accept(socket);
                    }
                  });
            })
        .listen(0, ADDRESS)
        .await()
        .actualPort();
  }

  /** The Node {@code name}, Ready now, whose kubelet listens on {@link #ADDRESS}:{@code port}. */
  static String readyNode(String name, int port) {
    String now = Times.now();
    return "{\"kind\":\"Node\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\""
        + name
        + "\"},\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\""
        + ADDRESS
        + "\"}],\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":"
        + port
        + "}},\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"lastHeartbeatTime\":\""
        + now
        + "\",\"lastTransitionTime\":\""
        + now
        + "\"}]}}";
  }
}
