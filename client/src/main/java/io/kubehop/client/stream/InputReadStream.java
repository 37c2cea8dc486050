package io.kubehop.client.stream;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.Semaphore;

/**
 * A {@link ReadStream} over a local input (the CLI's stdin), read on a thread of its own because
 * reading a terminal or pipe blocks. The thread reads one chunk at a time and waits until the event
 * loop has handed it on, so {@link #pause()} holds the reading back: nothing beyond one chunk is
 * read ahead, and bytes the remote side does not take stay in the pipe or terminal. Reading starts
 * with the first demand; the thread is a daemon, as a read blocked on a terminal cannot be
 * interrupted.
 */
public final class InputReadStream implements ReadStream<Buffer> {

  private static final int CHUNK = 64 * 1024;

  private final Context context;
  private final InputStream in;
  private final String name;
  private final Semaphore handedOn = new Semaphore(0);
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private long demand = Long.MAX_VALUE;
  private Object pending; // a Buffer, END, or an IOException; context-confined
  private boolean started;
  private boolean done;

  private static final Object END = new Object();

  public InputReadStream(Context context, InputStream in, String name) {
    this.context = context;
    this.in = in;
    this.name = name;
  }

  @Override
  public InputReadStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public InputReadStream handler(Handler<Buffer> handler) {
    this.handler = handler;
    if (handler != null) {
      start();
    }
    return this;
  }

  @Override
  public InputReadStream pause() {
    demand = 0;
    return this;
  }

  @Override
  public InputReadStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public InputReadStream fetch(long amount) {
    demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    start();
    if (pending != null) {
      context.runOnContext(v -> deliver());
    }
    return this;
  }

  @Override
  public InputReadStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  private void start() {
    if (started) {
      return;
    }
    started = true;
    Thread reader = new Thread(this::readLoop, name);
    reader.setDaemon(true);
    reader.start();
  }

  private void readLoop() {
    byte[] chunk = new byte[CHUNK];
    while (true) {
      Object next;
      try {
        int n = in.read(chunk);
        next = n < 0 ? END : Buffer.buffer(Arrays.copyOf(chunk, n));
      } catch (IOException e) {
        next = e;
      }
      Object item = next;
      // Always through the event loop, never inline: the executor's set-up (e.g. the terminal's
      // initial size) is written before any input byte.
      context.runOnContext(
          v -> {
            pending = item;
            deliver();
          });
      if (item != END && !(item instanceof IOException)) {
        handedOn.acquireUninterruptibly();
      } else {
        return;
      }
    }
  }

  private void deliver() {
    if (done || pending == null || demand == 0) {
      return;
    }
    Object item = pending;
    pending = null;
    if (item == END) {
      done = true;
      if (endHandler != null) {
        endHandler.handle(null);
      }
    } else if (item instanceof IOException e) {
      done = true;
      if (exceptionHandler != null) {
        exceptionHandler.handle(e);
      }
    } else {
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      if (handler != null) {
        handler.handle((Buffer) item);
      }
      handedOn.release();
    }
  }
}
