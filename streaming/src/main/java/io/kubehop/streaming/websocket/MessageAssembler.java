package io.kubehop.streaming.websocket;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.util.function.Consumer;

/**
 * Joins the data frames of one WebSocket message (a text or binary frame, then continuation frames
 * until FIN) into one buffer, up to a maximum size; a message of one frame passes through uncopied.
 * Control frames are not its business. Not thread safe.
 */
final class MessageAssembler {

  private final int maxMessage;
  private final Consumer<Buffer> onMessage;
  private Buffer partial;

  MessageAssembler(int maxMessage, Consumer<Buffer> onMessage) {
    this.maxMessage = maxMessage;
    this.onMessage = onMessage;
  }

  /**
   * Takes one frame; returns false when the message grew beyond the maximum (the caller closes with
   * 1009).
   */
  boolean onFrame(WebSocketFrame frame) {
    if (!frame.isText() && !frame.isBinary() && !frame.isContinuation()) {
      return true; // ping, pong, close: handled by Vert.x and the connection
    }
    Buffer data = frame.binaryData();
    if (!frame.isContinuation() && frame.isFinal()) {
      // A whole message in one frame, the common case: Vert.x gives each frame a buffer of its own,
      // so it is handed on as is, not copied.
      partial = null;
      if (data.length() > maxMessage) {
        return false;
      }
      onMessage.accept(data);
      return true;
    }
    if (frame.isContinuation()) {
      if (partial == null) {
        return true; // a continuation without a start: Netty rejects it first; nothing to join
      }
    } else {
      partial = Buffer.buffer();
    }
    if ((long) partial.length() + data.length() > maxMessage) {
      partial = null;
      return false;
    }
    partial.appendBuffer(data);
    if (frame.isFinal()) {
      Buffer message = partial;
      partial = null;
      onMessage.accept(message);
    }
    return true;
  }
}
