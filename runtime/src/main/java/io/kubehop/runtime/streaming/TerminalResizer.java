package io.kubehop.runtime.streaming;

import io.kubehop.streaming.remotecommand.TerminalSize;
import io.kubehop.streaming.remotecommand.server.RemoteCommandStreams;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The terminal size of an exec with a TTY. kubectl sends its size as the first message on the
 * resize stream right after the streams exist; a shell reads the size once when it starts, so the
 * process must start with it (kubernetes#47990). {@link #initialSize()} waits for that first size,
 * boundedly; sizes arriving later go to the process once it has started ({@link #forwardTo}). Sizes
 * of 0x0 (a client without a terminal) are ignored. Used on the session's context only.
 */
final class TerminalResizer {

  private final Promise<TerminalSize> initial = Promise.promise();
  private final long timer;
  private final Vertx vertx;
  private TerminalSize latest;
  private Consumer<TerminalSize> target;

  /**
   * Starts listening on the session's resize stream; without a TTY or a resize stream (V1, V2) the
   * initial size is null at once (the default size applies).
   */
  TerminalResizer(Vertx vertx, RemoteCommandStreams streams, Duration wait) {
    this.vertx = vertx;
    if (!streams.options().tty() || !streams.protocol().supportsResize()) {
      timer = -1;
      initial.complete(null);
      return;
    }
    timer = vertx.setTimer(Math.max(1, wait.toMillis()), t -> initial.tryComplete(null));
    streams.resizeHandler(this::onSize);
  }

  /** The first size the client sent, or null if none came within the wait. */
  Future<TerminalSize> initialSize() {
    return initial.future();
  }

  /**
   * From now on, sizes go to {@code resize}; a size that came after the initial one is applied at
   * once.
   */
  void forwardTo(Consumer<TerminalSize> resize) {
    target = resize;
    if (latest != null && latest != initial.future().result()) {
      resize.accept(latest);
    }
  }

  private void onSize(TerminalSize size) {
    if (size.width() <= 0 || size.height() <= 0) {
      return;
    }
    latest = size;
    if (initial.tryComplete(size)) {
      vertx.cancelTimer(timer);
    } else if (target != null) {
      target.accept(size);
    }
  }
}
