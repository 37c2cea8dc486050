package io.kubehop.streaming.transport;

import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * spdystream's idle timeout: every frame read or written counts as activity ({@link #touch()});
 * after {@code timeout} without any, {@code onIdle} runs once. One timer is kept and re-armed for
 * the remaining time, instead of a timer per frame. Armed and cancelled on one context; {@link
 * #touch()} may come from another (the two sockets of a splice), hence the volatile.
 */
public final class IdleTimer {

  private final Vertx vertx;
  private final Runnable onIdle;
  private long timeoutMillis;
  private volatile long lastActivity = System.nanoTime();
  private long timerId = -1;

  public IdleTimer(Vertx vertx, Runnable onIdle) {
    this.vertx = vertx;
    this.onIdle = onIdle;
  }

  /** Sets the timeout; {@link Duration#ZERO} disables it. */
  public void set(Duration timeout) {
    cancel();
    timeoutMillis = timeout.toMillis();
    if (timeoutMillis > 0) {
      arm(timeoutMillis);
    }
  }

  public void touch() {
    lastActivity = System.nanoTime();
  }

  public void cancel() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  private void arm(long delayMillis) {
    timerId =
        vertx.setTimer(
            Math.max(1, delayMillis),
            t -> {
              timerId = -1;
              long idle = (System.nanoTime() - lastActivity) / 1_000_000;
              if (idle >= timeoutMillis) {
                onIdle.run();
              } else {
                arm(timeoutMillis - idle);
              }
            });
  }
}
