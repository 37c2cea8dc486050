package io.kubehop.streaming.httpstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A stream's drain handler set by a pipe on another thread. The connection's context is a task
 * queue run by hand, so the interleavings of the race are explicit: what the setter queued runs
 * only when the test says so.
 */
class DrainSignalTest {

  private final Queue<Runnable> context = new ArrayDeque<>();
  private boolean writeQueueFull = true;
  private final DrainSignal signal = new DrainSignal(context::add, () -> writeQueueFull);
  private final AtomicInteger calls = new AtomicInteger();

  private void runContext() {
    Runnable task;
    while ((task = context.poll()) != null) {
      task.run();
    }
  }

  /** The race: the transport drains on the context before anything the setter queued there. */
  @Test
  void aDrainBetweenSettingAndTheContextTurnIsNotLost() {
    signal.handler(v -> calls.incrementAndGet());
    writeQueueFull = false;
    signal.fire();
    assertEquals(1, calls.get(), "the handler was in place when the transport drained");
    runContext();
    assertEquals(2, calls.get(), "the re-check runs it once more: harmless for a pipe's resume");
  }

  @Test
  void aQueueThatDrainedBeforeTheHandlerWasSetRunsItOnTheContext() {
    writeQueueFull = false;
    signal.handler(v -> calls.incrementAndGet());
    assertEquals(0, calls.get(), "not on the setter's thread");
    runContext();
    assertEquals(1, calls.get());
  }

  @Test
  void aStillFullQueueWaitsForTheDrain() {
    signal.handler(v -> calls.incrementAndGet());
    runContext();
    assertEquals(0, calls.get());
    writeQueueFull = false;
    signal.fire();
    assertEquals(1, calls.get());
  }

  @Test
  void aReplacedOrClearedHandlerIsNotRunByItsReCheck() {
    AtomicInteger second = new AtomicInteger();
    signal.handler(v -> calls.incrementAndGet());
    signal.handler(v -> second.incrementAndGet());
    writeQueueFull = false;
    runContext();
    assertEquals(0, calls.get());
    assertEquals(1, second.get());
    signal.handler(null);
    signal.fire();
    runContext();
    assertEquals(1, second.get());
  }
}
