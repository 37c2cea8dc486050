package io.kubehop.streaming.transport;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.net.SocketAddress;
import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link DuplexTransport} over the binary messages of a WebSocket (client-go's {@code
 * TunnelingConnection}, the client end of KEP-4006's port-forward tunnel): every write is one
 * binary message, and the payloads of binary and continuation frames are read as one byte stream,
 * frame by frame, since message boundaries mean nothing to the SPDY bytes inside. A text message is
 * a protocol error ({@code invalid message type received}) that closes the WebSocket. A close frame
 * from the peer is the end of the stream.
 *
 * <p>Pausing pauses the WebSocket, which stops reading the TCP connection once Vert.x's inbound
 * queue is full: back-pressure reaches the peer as with a socket.
 */
public final class WebSocketTransport implements DuplexTransport {

  /** What upstream's tunneling connection says of a text message. */
  public static final String INVALID_MESSAGE = "invalid message type received";

  private static final short NORMAL_CLOSURE = 1000;
  private static final short UNSUPPORTED_DATA = 1003;

  private final WebSocketBase ws;
  private final List<Buffer> early = new ArrayList<>();
  private Handler<Buffer> handler;
  private Handler<Throwable> exceptionHandler;

  /**
   * Takes {@code ws} over: its frame handler is set here, so create the transport before the
   * handshake completes (frames that arrive before {@link #handler} is set are kept for it).
   */
  public WebSocketTransport(WebSocketBase ws) {
    this.ws = ws;
    ws.frameHandler(this::onFrame);
  }

  private void onFrame(WebSocketFrame frame) {
    if (frame.isText()) {
      if (exceptionHandler != null) {
        exceptionHandler.handle(new ProtocolException(INVALID_MESSAGE));
      }
      ws.close(UNSUPPORTED_DATA, INVALID_MESSAGE);
      return;
    }
    if (!frame.isBinary() && !frame.isContinuation()) {
      return; // ping, pong and close are Vert.x's
    }
    Buffer data = frame.binaryData();
    if (data.length() == 0) {
      return;
    }
    if (handler == null) {
      early.add(data);
    } else {
      handler.handle(data);
    }
  }

  @Override
  public DuplexTransport exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    ws.exceptionHandler(handler);
    return this;
  }

  @Override
  public DuplexTransport handler(Handler<Buffer> handler) {
    this.handler = handler;
    if (handler != null && !early.isEmpty()) {
      List<Buffer> pending = new ArrayList<>(early);
      early.clear();
      pending.forEach(handler::handle);
    }
    return this;
  }

  @Override
  public DuplexTransport pause() {
    ws.pause();
    return this;
  }

  @Override
  public DuplexTransport resume() {
    ws.resume();
    return this;
  }

  @Override
  public DuplexTransport fetch(long amount) {
    ws.fetch(amount);
    return this;
  }

  @Override
  public DuplexTransport endHandler(Handler<Void> endHandler) {
    ws.endHandler(endHandler);
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    return ws.writeBinaryMessage(data);
  }

  @Override
  public boolean coalescesWrites() {
    return false;
  }

  @Override
  public Future<Void> end() {
    return close();
  }

  @Override
  public DuplexTransport setWriteQueueMaxSize(int maxSize) {
    ws.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return ws.writeQueueFull();
  }

  @Override
  public DuplexTransport drainHandler(Handler<Void> handler) {
    ws.drainHandler(handler);
    return this;
  }

  /** A close frame 1000 behind the queued messages, then the connection closes. */
  @Override
  public Future<Void> close() {
    return ws.isClosed() ? Future.succeededFuture() : ws.close(NORMAL_CLOSURE);
  }

  @Override
  public SocketAddress localAddress() {
    return ws.localAddress();
  }

  @Override
  public SocketAddress remoteAddress() {
    return ws.remoteAddress();
  }

  @Override
  public DuplexTransport closeHandler(Handler<Void> handler) {
    ws.closeHandler(handler);
    return this;
  }
}
