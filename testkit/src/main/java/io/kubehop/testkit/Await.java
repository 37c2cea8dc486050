package io.kubehop.testkit;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits with a deadline: the only way tests synchronise with servers, processes and event loops
 * (never a bare sleep). A condition is polled; a timeout fails the test with what was awaited and
 * the last thing the probe saw.
 *
 * <p>A probe that throws a {@link RuntimeException} is not ready yet (a status not written, a file
 * not there): it is polled again, and the last exception becomes the cause of the timeout. A probe
 * that throws an {@link AssertionError} has given its verdict, and the wait fails at once.
 */
public final class Await {

  /**
   * Long enough for a loaded two-core CI machine; tests that wait on whole clusters pass their own.
   */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(20);

  /**
   * The default poll starts at this pause and doubles up to {@link #MAX_PAUSE}: quick for
   * in-process conditions, gentle for probes that start a process (kubectl, lsof) on every call.
   */
  private static final Duration FIRST_PAUSE = Duration.ofMillis(10);

  private static final Duration MAX_PAUSE = Duration.ofMillis(100);

  private Await() {
    throw new AssertionError("No instances.");
  }

  /** Polls {@code condition} until it holds, for at most {@link #DEFAULT_DEADLINE}. */
  public static void until(String what, BooleanSupplier condition) {
    until(what, DEFAULT_DEADLINE, condition);
  }

  /** Polls {@code condition} until it holds; fails after {@code deadline}. */
  public static void until(String what, Duration deadline, BooleanSupplier condition) {
    until(() -> what, deadline, condition);
  }

  /**
   * As {@link #until(String, Duration, BooleanSupplier)}, with a failure message made at the
   * deadline.
   */
  public static void until(Supplier<String> what, Duration deadline, BooleanSupplier condition) {
    poll(
        what,
        deadline,
        FIRST_PAUSE,
        MAX_PAUSE,
        () -> condition.getAsBoolean() ? Boolean.TRUE : null);
  }

  /**
   * Polls {@code condition} every {@code period} exactly, for checks whose meaning depends on the
   * sampling period (a counter that did not move between two samples has stalled).
   */
  public static void until(
      String what, Duration deadline, Duration period, BooleanSupplier condition) {
    poll(
        () -> what, deadline, period, period, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
  }

  /**
   * Polls {@code probe} until it returns a value other than {@code null}, and returns that value.
   */
  public static <T> T value(String what, Duration deadline, Supplier<T> probe) {
    return poll(() -> what, deadline, FIRST_PAUSE, MAX_PAUSE, probe);
  }

  /**
   * Polls {@code condition} until it holds or {@code deadline} passes, and returns whether it held:
   * for tests that wait for a state and then assert on it with a message of their own.
   */
  public static boolean within(Duration deadline, BooleanSupplier condition) {
    return poll(
            null,
            deadline,
            FIRST_PAUSE,
            MAX_PAUSE,
            () -> condition.getAsBoolean() ? Boolean.TRUE : null)
        != null;
  }

  /**
   * The result of {@code future}, waiting at most {@link #DEFAULT_DEADLINE}; a failed future throws
   * its failure.
   */
  public static <T> T await(Future<T> future)
      throws ExecutionException, InterruptedException, TimeoutException {
    return await(future, DEFAULT_DEADLINE);
  }

  /**
   * The result of {@code future}, waiting at most {@code deadline}. A failure is thrown as the
   * {@link ExecutionException} whose cause it is, as {@link
   * java.util.concurrent.CompletableFuture#get} does.
   */
  public static <T> T await(Future<T> future, Duration deadline)
      throws ExecutionException, InterruptedException, TimeoutException {
    return future
        .toCompletionStage()
        .toCompletableFuture()
        .get(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Polls {@code probe}; on timeout fails with {@code what}, or returns {@code null} when {@code
   * what} is null.
   */
  private static <T> T poll(
      Supplier<String> what,
      Duration deadline,
      Duration firstPause,
      Duration maxPause,
      Supplier<T> probe) {
    long end = System.nanoTime() + deadline.toNanos();
    long pause = firstPause.toMillis();
    RuntimeException notReady = null;
    while (true) {
      try {
        T value = probe.get();
        if (value != null) {
          return value;
        }
        notReady = null;
      } catch (RuntimeException e) {
        notReady = e;
      }
      if (System.nanoTime() > end) {
        if (what == null) {
          return null;
        }
        throw new AssertionError(
            "timed out after "
                + deadline.toMillis()
                + " ms waiting for "
                + what.get()
                + (notReady == null ? "" : " (last probe threw " + notReady + ")"),
            notReady);
      }
      try {
        Thread.sleep(pause); // the poll period of a condition with a deadline, not synchronisation
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(
            "interrupted while waiting for " + (what == null ? "a condition" : what.get()), e);
      }
      pause = Math.min(pause * 2, maxPause.toMillis());
    }
  }
}
