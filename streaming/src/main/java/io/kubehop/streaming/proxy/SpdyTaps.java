package io.kubehop.streaming.proxy;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What reads along one SPDY connection of a session at this tier, one consumer per direction: the
 * frame trace ({@code --trace-frames}) and the recording ({@code --record-sessions}), each given
 * the bytes after they were relayed. A reader that fails is turned off (logged); the bytes go on.
 */
final class SpdyTaps {

  private static final Logger LOG = Logger.getLogger(SpdyTaps.class.getName());

  private final List<Consumer<Buffer>> towardFar = new ArrayList<>();
  private final List<Consumer<Buffer>> towardNear = new ArrayList<>();
  private final List<Runnable> closers = new ArrayList<>();

  /** Adds a reader of both directions, named {@code what} in the log, and its close. */
  SpdyTaps add(String what, Consumer<Buffer> toFar, Consumer<Buffer> toNear, Runnable close) {
    towardFar.add(guarded(what, toFar));
    towardNear.add(guarded(what, toNear));
    closers.add(close);
    return this;
  }

  boolean isEmpty() {
    return closers.isEmpty();
  }

  /** The bytes from this tier's caller toward its next hop. */
  Consumer<Buffer> towardFar() {
    return all(towardFar);
  }

  /** The bytes from the next hop toward this tier's caller. */
  Consumer<Buffer> towardNear() {
    return all(towardNear);
  }

  /** The connection ended. */
  void close() {
    closers.forEach(Runnable::run);
  }

  private static Consumer<Buffer> all(List<Consumer<Buffer>> readers) {
    List<Consumer<Buffer>> copy = List.copyOf(readers);
    return copy.size() == 1
        ? copy.get(0)
        : bytes -> {
          for (Consumer<Buffer> reader : copy) {
            reader.accept(bytes);
          }
        };
  }

  /**
   * {@code reader}, made unable to break the connection it watches: its first failure turns it off
   * (logged), and the bytes go on.
   */
  static Consumer<Buffer> guarded(String what, Consumer<Buffer> reader) {
    boolean[] broken = {false};
    return buffer -> {
      if (!broken[0]) {
        try {
          reader.accept(buffer);
        } catch (RuntimeException e) {
          broken[0] = true;
          LOG.log(Level.WARNING, what + " failed; it stops for this connection", e);
        }
      }
    };
  }
}
