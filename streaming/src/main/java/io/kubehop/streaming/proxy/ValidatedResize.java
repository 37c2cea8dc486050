package io.kubehop.streaming.proxy;

import io.kubehop.streaming.remotecommand.TerminalSizeDecoder;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The client's resize channel as a translator forwards it: JSON terminal sizes pass unchanged; the first malformed
 * one goes to {@code onMalformed} (which closes the session) and nothing passes after it. Upstream would forward the
 * garbage, and the runtime would silently stop resizing.
 */
final class ValidatedResize implements ReadStream<Buffer> {

  private final ReadStream<Buffer> from;
  private final Consumer<String> onMalformed;
  private final TerminalSizeDecoder decoder = new TerminalSizeDecoder(size -> { });
  private boolean broken;

  ValidatedResize(ReadStream<Buffer> from, Consumer<String> onMalformed) {
    this.from = from;
    this.onMalformed = onMalformed;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    from.handler(handler == null ? null : bytes -> {
      if (broken) {
        return;
      }
      try {
        decoder.decode(bytes);
      } catch (IOException e) {
        broken = true;
        onMalformed.accept(e.getMessage());
        return;
      }
      handler.handle(bytes);
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    from.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    from.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    from.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    from.fetch(amount);
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    from.endHandler(endHandler);
    return this;
  }
}
