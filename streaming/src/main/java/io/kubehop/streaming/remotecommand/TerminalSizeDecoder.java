package io.kubehop.streaming.remotecommand;

import io.kubehop.api.json.ApiJson;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Decodes the resize stream: concatenated JSON objects (client-go's {@code json.Encoder} ends each
 * with {@code \n}), split across DATA frames in any way. Each complete object is handed to the
 * handler. Malformed input throws {@link IOException}, after which the decoder should be dropped.
 * Not thread safe.
 */
public final class TerminalSizeDecoder {

  /** Upper bound of one incomplete object; real ones are ~25 bytes. */
  static final int MAX_OBJECT = 4096;

  private final Handler<TerminalSize> handler;
  private Buffer pending = Buffer.buffer();

  public TerminalSizeDecoder(Handler<TerminalSize> handler) {
    this.handler = handler;
  }

  public void decode(Buffer bytes) throws IOException {
    pending.appendBuffer(bytes);
    int start = 0;
    int depth = 0;
    boolean inString = false;
    boolean escaped = false;
    for (int i = 0; i < pending.length(); i++) {
      byte c = pending.getByte(i);
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{') {
        if (depth == 0) {
          start = i;
        }
        depth++;
      } else if (c == '}') {
        if (--depth < 0) {
          throw new IOException("malformed terminal size: unbalanced '}'");
        }
        if (depth == 0) {
          handler.handle(ApiJson.read(pending.getBytes(start, i + 1), TerminalSize.class));
          start = i + 1;
        }
      } else if (depth == 0 && !Character.isWhitespace(c)) {
        throw new IOException("malformed terminal size: unexpected '" + (char) c + "'");
      }
    }
    int keepFrom = depth == 0 ? pending.length() : start;
    pending = pending.getBuffer(keepFrom, pending.length());
    if (pending.length() > MAX_OBJECT) {
      throw new IOException("terminal size object too large");
    }
  }
}
