package io.kubehop.streaming.transport;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;

/** {@link DuplexTransport} over a Vert.x {@link NetSocket}; every method delegates. */
final class NetSocketTransport implements DuplexTransport {

  private final NetSocket socket;

  @Override
  public java.util.Optional<SocketMeter.Reading> meter() {
    return SocketMeter.on(socket);
  }

  NetSocketTransport(NetSocket socket) {
    this.socket = socket;
  }

  @Override
  public DuplexTransport exceptionHandler(Handler<Throwable> handler) {
    socket.exceptionHandler(handler);
    return this;
  }

  @Override
  public DuplexTransport handler(Handler<Buffer> handler) {
    socket.handler(handler);
    return this;
  }

  @Override
  public DuplexTransport pause() {
    socket.pause();
    return this;
  }

  @Override
  public DuplexTransport resume() {
    socket.resume();
    return this;
  }

  @Override
  public DuplexTransport fetch(long amount) {
    socket.fetch(amount);
    return this;
  }

  @Override
  public DuplexTransport endHandler(Handler<Void> endHandler) {
    socket.endHandler(endHandler);
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    return socket.write(data);
  }

  @Override
  public Future<Void> end() {
    return socket.end();
  }

  @Override
  public DuplexTransport setWriteQueueMaxSize(int maxSize) {
    socket.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public DuplexTransport drainHandler(Handler<Void> handler) {
    socket.drainHandler(handler);
    return this;
  }

  @Override
  public Future<Void> close() {
    return socket.close();
  }

  @Override
  public SocketAddress localAddress() {
    return socket.localAddress();
  }

  @Override
  public SocketAddress remoteAddress() {
    return socket.remoteAddress();
  }

  @Override
  public DuplexTransport closeHandler(Handler<Void> handler) {
    socket.closeHandler(handler);
    return this;
  }
}
