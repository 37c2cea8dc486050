package io.kubehop.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

  private static final Duration SHORT = Duration.ofMillis(200);

  @Test
  void returnsOnceTheConditionHolds() {
    AtomicInteger calls = new AtomicInteger();
    Await.until("the third call", SHORT.multipliedBy(10), () -> calls.incrementAndGet() == 3);
    assertEquals(3, calls.get());
  }

  @Test
  void aTimeoutNamesWhatWasAwaited() {
    AssertionError e =
        assertThrows(AssertionError.class, () -> Await.until("the moon", SHORT, () -> false));
    assertEquals("timed out after 200 ms waiting for the moon", e.getMessage());
  }

  /**
   * A probe that is not ready throws; the wait goes on, and a timeout keeps the last exception as
   * its cause.
   */
  @Test
  void aThrowingProbeIsPolledAgainAndItsLastExceptionIsTheCause() {
    AtomicInteger calls = new AtomicInteger();
    assertEquals(
        "ready",
        Await.value(
            "ready",
            SHORT.multipliedBy(10),
            () -> {
              if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("not yet");
              }
              return "ready";
            }));
    IllegalStateException notYet = new IllegalStateException("never");
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                Await.until(
                    "never",
                    SHORT,
                    () -> {
                      throw notYet;
                    }));
    assertSame(notYet, e.getCause());
  }

  /** An assertion inside a probe is a verdict: it fails the wait at once, not at the deadline. */
  @Test
  void anAssertionInTheProbeFailsAtOnce() {
    long start = System.nanoTime();
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                Await.until(
                    "x",
                    Duration.ofSeconds(30),
                    () -> {
                      throw new AssertionError("wrong channel");
                    }));
    assertEquals("wrong channel", e.getMessage());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10);
  }

  @Test
  void withinTellsWhetherTheConditionHeld() {
    assertFalse(Await.within(SHORT, () -> false));
    assertTrue(Await.within(SHORT, () -> true));
  }

  @Test
  void aFixedPeriodSamplesAtThatPeriod() {
    AtomicInteger calls = new AtomicInteger();
    assertThrows(
        AssertionError.class,
        () ->
            Await.until(
                "n/a",
                SHORT,
                Duration.ofMillis(100),
                () -> {
                  calls.incrementAndGet();
                  return false;
                }));
    assertTrue(calls.get() <= 4, calls + " samples in 200 ms at a 100 ms period");
  }

  @Test
  void aFutureGivesItsResultOrItsFailure() throws Exception {
    assertEquals("done", Await.await(Future.succeededFuture("done")));
    IllegalStateException failure = new IllegalStateException("refused");
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> Await.await(Future.failedFuture(failure)));
    assertSame(failure, e.getCause());
    assertThrows(TimeoutException.class, () -> Await.await(Promise.promise().future(), SHORT));
  }
}
