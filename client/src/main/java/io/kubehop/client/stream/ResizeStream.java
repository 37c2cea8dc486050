package io.kubehop.client.stream;

import io.kubehop.api.json.ApiJson;
import io.kubehop.streaming.remotecommand.TerminalSize;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The terminal sizes of a tty session as the resize stream carries them, one JSON line each ({@code
 * {"Width":80,"Height":24}\n}, client-go's {@code TerminalSizeQueue}). The initial sizes are
 * emitted as soon as an executor takes the stream (in the same event-loop turn that sets up the
 * streams, so before any input byte); later ones come from {@link #resized(TerminalSize)}
 * (SIGWINCH), skipped when unchanged.
 *
 * <p>{@link #pause()} is not a reason to hold a size back: a size is some 30 bytes and only the
 * newest counts, while the queue that reports full is the connection's, shared with stdin (a paste
 * can fill it). Held sizes waited for a drain that, over WebSocket, did not come (the remote tty
 * kept its first size); so sizes are always sent, and coalescing happens per SIGWINCH.
 */
public final class ResizeStream implements ReadStream<Buffer> {

  private final Context context;
  private final ArrayDeque<TerminalSize> pending = new ArrayDeque<>();
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private TerminalSize last;

  /**
   * @param initial the sizes to send first: the terminal's, or for attach one cell larger and then
   *     the terminal's, as kubectl does to make the attached process redraw
   */
  public ResizeStream(Context context, List<TerminalSize> initial) {
    this.context = context;
    pending.addAll(initial);
  }

  /** A new local size (any thread). */
  public void resized(TerminalSize size) {
    context.runOnContext(
        v -> {
          pending.clear();
          pending.add(size);
          drain();
        });
  }

  @Override
  public ResizeStream handler(Handler<Buffer> handler) {
    this.handler = handler;
    drain();
    return this;
  }

  @Override
  public ResizeStream exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public ResizeStream pause() {
    return this; // see the class comment
  }

  @Override
  public ResizeStream resume() {
    drain();
    return this;
  }

  @Override
  public ResizeStream fetch(long amount) {
    return resume();
  }

  @Override
  public ResizeStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  private void drain() {
    while (handler != null && !pending.isEmpty()) {
      TerminalSize size = pending.poll();
      if (size.equals(last)) {
        continue;
      }
      last = size;
      handler.handle(encode(size));
    }
  }

  static Buffer encode(TerminalSize size) {
    return Buffer.buffer(ApiJson.writeBytes(size)).appendString("\n");
  }
}
