package io.kubehop.e2e.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition with a deadline: the only way these tests synchronise with the cluster. */
public final class Eventually {

  private Eventually() {
    throw new AssertionError("No instances.");
  }

  /** Polls {@code probe} until it returns a non-null value, and returns that value; fails after {@code deadline}. */
  public static <T> T await(String what, Duration deadline, Supplier<T> probe) {
    long end = System.nanoTime() + deadline.toNanos();
    long pause = 20;
    Object last = null;
    while (true) {
      T value = probe.get();
      if (value != null && !Boolean.FALSE.equals(value)) {
        return value;
      }
      last = value;
      if (System.nanoTime() > end) {
        fail("timed out after " + deadline.toSeconds() + "s waiting for " + what + " (last probe: " + last + ")");
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted while waiting for " + what);
      }
      pause = Math.min(pause * 2, 250);
    }
  }

  public static void awaitTrue(String what, Duration deadline, Supplier<Boolean> condition) {
    await(what, deadline, () -> condition.get() ? Boolean.TRUE : null);
  }
}
