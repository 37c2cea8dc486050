package io.kubehop.streaming.proxy;

import io.kubehop.streaming.remotecommand.TerminalSizeDecoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The client's resize channel as a translator forwards it: JSON terminal sizes pass unchanged; the
 * first malformed one goes to {@code onMalformed} (which closes the session) and nothing passes
 * after it. Upstream would forward the garbage, and the runtime would silently stop resizing.
 */
final class ValidatedResize {

  private ValidatedResize() {}

  static ReadStream<Buffer> of(ReadStream<Buffer> from, Consumer<String> onMalformed) {
    TerminalSizeDecoder decoder = new TerminalSizeDecoder(size -> {});
    boolean[] broken = {false};
    return Counted.intercept(
        from,
        handler ->
            bytes -> {
              if (broken[0]) {
                return;
              }
              try {
                decoder.decode(bytes);
              } catch (IOException e) {
                broken[0] = true;
                onMalformed.accept(e.getMessage());
                return;
              }
              handler.handle(bytes);
            });
  }
}
