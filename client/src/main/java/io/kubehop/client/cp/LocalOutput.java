package io.kubehop.client.cp;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.io.PrintStream;

/**
 * A remote command's stdout or stderr written straight to a local stream, on the event loop: what
 * {@code cp} passes through (the remote tar's messages) is a few lines, never bulk data. The
 * progress line is cleared first so that a message starts on a line of its own.
 */
public final class LocalOutput implements WriteStream<Buffer> {

  private final PrintStream out;
  private final Progress progress;

  public LocalOutput(PrintStream out, Progress progress) {
    this.out = out;
    this.progress = progress;
  }

  @Override
  public LocalOutput exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    synchronized (progress) {
      progress.clearLine();
      out.write(data.getBytes(), 0, data.length());
      out.flush();
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    out.flush();
    return Future.succeededFuture();
  }

  @Override
  public LocalOutput setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return false;
  }

  @Override
  public LocalOutput drainHandler(Handler<Void> handler) {
    return this;
  }
}
