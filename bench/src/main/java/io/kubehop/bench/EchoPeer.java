package io.kubehop.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Something that echoes each byte sent to it: a tty session running {@code cat} in raw mode, or the
 * socat chain's far end. A round trip is timed on the peer's event loop, from the write to the
 * echo's arrival, so the harness's own thread hand-off is not in the figure, for the baseline as
 * for the sessions.
 */
abstract class EchoPeer implements AutoCloseable {

  private static final Buffer ONE_BYTE = Buffer.buffer(new byte[] {'x'});

  protected final Context context;
  protected final Arrivals arrivals = new Arrivals();

  EchoPeer(Context context) {
    this.context = context;
  }

  /** Writes {@code data} toward the echo. Called on {@link #context}. */
  protected abstract void send(Buffer data);

  /** Nanoseconds from sending one byte until its echo arrived. */
  final long roundTrip() throws InterruptedException, ExecutionException, TimeoutException {
    CompletableFuture<Long> done = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          long start = System.nanoTime();
          arrivals
              .expect(1)
              .onComplete(
                  ar -> {
                    if (ar.succeeded()) {
                      done.complete(System.nanoTime() - start);
                    } else {
                      done.completeExceptionally(ar.cause());
                    }
                  });
          send(ONE_BYTE.copy());
        });
    return done.get(30, TimeUnit.SECONDS);
  }

  /** Completes once {@code count} bytes arrived since the peer opened (a ready marker). */
  final Future<Void> awaitArrived(long count) {
    Promise<Void> arrived = Promise.promise();
    context.runOnContext(v -> arrivals.expect(count - arrivals.received()).onComplete(arrived));
    return arrived.future();
  }

  /** Measures {@code n} round trips one after another into {@code into}. */
  final void roundTrips(int n, Latencies into)
      throws InterruptedException, ExecutionException, TimeoutException {
    for (int i = 0; i < n; i++) {
      into.add(roundTrip());
    }
  }

  @Override
  public abstract void close();
}
