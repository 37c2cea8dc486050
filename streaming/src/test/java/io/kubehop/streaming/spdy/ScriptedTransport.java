package io.kubehop.streaming.spdy;

import io.kubehop.streaming.transport.DuplexTransport;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * A {@link DuplexTransport} a test drives by hand: it decides when bytes arrive, when the write
 * queue is full and when it drains. Writes succeed at once and are kept. {@link #receive} and
 * {@link #drain} run the session's handlers, so call them on its context; {@link #fill} only flips
 * a flag.
 */
final class ScriptedTransport implements DuplexTransport {

  final Buffer written = Buffer.buffer();
  private volatile boolean writeQueueFull;
  private Handler<Buffer> handler;
  private Handler<Void> drainHandler;

  /** Bytes from the peer. */
  void receive(Buffer bytes) {
    handler.handle(bytes);
  }

  /** The write queue fills (no callback: a writer finds out through {@link #writeQueueFull()}). */
  void fill() {
    writeQueueFull = true;
  }

  /** The write queue drains, and the drain handler hears of it, as a socket's does. */
  void drain() {
    writeQueueFull = false;
    if (drainHandler != null) {
      drainHandler.handle(null);
    }
  }

  @Override
  public ScriptedTransport handler(Handler<Buffer> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public ScriptedTransport drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return writeQueueFull;
  }

  @Override
  public Future<Void> write(Buffer data) {
    written.appendBuffer(data);
    return Future.succeededFuture();
  }

  @Override
  public ScriptedTransport exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public ScriptedTransport pause() {
    return this;
  }

  @Override
  public ScriptedTransport resume() {
    return this;
  }

  @Override
  public ScriptedTransport fetch(long amount) {
    return this;
  }

  @Override
  public ScriptedTransport endHandler(Handler<Void> endHandler) {
    return this;
  }

  @Override
  public Future<Void> end() {
    return Future.succeededFuture();
  }

  @Override
  public ScriptedTransport setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  @Override
  public ScriptedTransport closeHandler(Handler<Void> handler) {
    return this;
  }
}
