package io.kubehop.testkit;

import io.vertx.core.http.WebSocketBase;
import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Records what a test's client WebSocket receives, for either client: a Vert.x one ({@link
 * #WebSocketRecorder( WebSocketBase)}) or the JDK's (pass {@code new WebSocketRecorder()} as its
 * {@link WebSocket.Listener}). Each whole message becomes an event, {@code B <hex>} for binary and
 * {@code T <text>} for text, and the server's close a last event {@code close <code>}; binary
 * messages are also queued as bytes, and pongs as text. Modelled on OkHttp's {@code
 * WebSocketRecorder}.
 */
public final class WebSocketRecorder implements WebSocket.Listener {

  /** The close frame the server sent. */
  public record Close(int code, String reason) {}

  /** Every message and the close, in arrival order. */
  public final List<String> events = new CopyOnWriteArrayList<>();

  private final BlockingQueue<byte[]> binaryMessages = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> pongs = new LinkedBlockingQueue<>();
  private final CompletableFuture<Close> closed = new CompletableFuture<>();
  private final ByteArrayOutputStream partialBinary = new ByteArrayOutputStream();
  private final StringBuilder partialText = new StringBuilder();

  /** A recorder to pass as the JDK client's listener. */
  public WebSocketRecorder() {}

  /** A recorder of a Vert.x client WebSocket: it takes the socket's frame and close handlers. */
  public WebSocketRecorder(WebSocketBase ws) {
    boolean[] text = {false};
    ws.frameHandler(
        f -> {
          if (f.isText() || f.isBinary()) {
            text[0] = f.isText();
          }
          if (f.isText() || f.isBinary() || f.isContinuation()) {
            if (text[0]) {
              onText(f.textData(), f.isFinal());
            } else {
              onBinary(f.binaryData().getBytes(), f.isFinal());
            }
          }
        });
    ws.closeHandler(v -> onClose(ws.closeStatusCode(), ws.closeReason()));
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(Long.MAX_VALUE); // a recorder is a sink: it never holds the server back
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    onBinary(bytes, last);
    return null;
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    onText(data.toString(), last);
    return null;
  }

  @Override
  public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
    pongs.add(StandardCharsets.UTF_8.decode(message).toString());
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    onClose((short) statusCode, reason);
    return null; // the JDK then answers with a close frame of the same code
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    events.add("error " + error);
    closed.completeExceptionally(error);
  }

  private synchronized void onBinary(byte[] bytes, boolean last) {
    partialBinary.writeBytes(bytes);
    if (last) {
      byte[] message = partialBinary.toByteArray();
      partialBinary.reset();
      events.add("B " + HexFormat.of().formatHex(message));
      binaryMessages.add(message);
    }
  }

  private synchronized void onText(String text, boolean last) {
    partialText.append(text);
    if (last) {
      events.add("T " + partialText);
      partialText.setLength(0);
    }
  }

  private void onClose(Short code, String reason) {
    events.add("close " + code);
    closed.complete(new Close(code == null ? -1 : code, reason));
  }

  /** Whether the connection has closed. */
  public boolean closed() {
    return closed.isDone();
  }

  /** Waits until the connection has closed. */
  public void awaitClosed() {
    Await.until(
        () -> "the connection to close; got " + events, Await.DEFAULT_DEADLINE, this::closed);
  }

  /** Completes with the server's close frame, or fails with the client's error. */
  public CompletableFuture<Close> closeFuture() {
    return closed;
  }

  /** The next whole binary message; fails if none arrives within {@code deadline}. */
  public byte[] nextBinary(Duration deadline) {
    try {
      byte[] message = binaryMessages.poll(deadline.toMillis(), TimeUnit.MILLISECONDS);
      if (message == null) {
        throw new AssertionError("no binary message within " + deadline + "; events: " + events);
      }
      return message;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next whole binary message if one has arrived, else {@code null}. */
  public byte[] pollBinary() {
    return binaryMessages.poll();
  }

  /** The payload of the next pong if one has arrived, else {@code null}. */
  public String pollPong() {
    return pongs.poll();
  }

  /** {@code s} in UTF-8, as the hex of a {@code B} event. */
  public static String hex(String s) {
    return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
  }
}
