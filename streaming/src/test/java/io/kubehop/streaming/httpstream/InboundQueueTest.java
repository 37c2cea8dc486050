package io.kubehop.streaming.httpstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.streaming.transport.ContextConfinement;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The cases of Vert.x's {@code InboundBufferTest} (4.x) that apply to a queue delivering
 * synchronously on its context, each named after its original, with the numbers of a byte-counted
 * mark: one-byte buffers stand for Vert.x's elements, {@code mark} for its writability ({@code
 * false} is its drain). Where kubehop's contract differs, the test says so. Then the end-after-data
 * and reset cases of the streams. Most tests run the queue on the calling thread ({@code
 * Runnable::run} as the context), so every assertion is about order, not timing.
 */
class InboundQueueTest {

  private final List<Integer> events = new ArrayList<>();
  private final List<String> log = new ArrayList<>();
  private int sequence;
  private InboundQueue queue = queue(4);

  private InboundQueue queue(long highWater) {
    return new InboundQueue(
        Runnable::run, highWater, over -> log.add("mark " + over + " after " + events.size()));
  }

  private static Buffer element(int n) {
    return Buffer.buffer(new byte[] {(byte) n});
  }

  private boolean emit() {
    return queue.write(element(sequence++));
  }

  private void fill() {
    while (emit()) {
      // writes until the queue is above its mark
    }
  }

  private void record() {
    queue.handler(b -> events.add((int) b.getByte(0)));
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(i);
    }
    return out;
  }

  @Test
  void testFlowing() {
    record();
    assertTrue(emit());
    assertEquals(List.of(0), events, "delivered during write");
    assertTrue(emit());
    assertEquals(List.of(0, 1), events); // testFlowingAdd
    assertEquals(0, queue.queuedBytes());
  }

  @Test
  void testTake() {
    record();
    queue.pause();
    queue.fetch(1);
    assertTrue(emit());
    assertTrue(emit());
    assertEquals(List.of(0), events, "one fetched, one delivered");
    assertEquals(1, queue.queuedBytes());
  }

  @Test
  void testHighWaterMark() {
    queue.pause();
    fill();
    assertEquals(5, sequence, "the fifth byte is the first above a mark of 4");
    assertEquals(List.of("mark true after 0"), log);
  }

  @Test
  void testPushReturnsTrueUntilHighWatermark() {
    queue = queue(1);
    record();
    queue.pause();
    queue.fetch(1);
    assertTrue(emit()); // delivered
    assertTrue(emit()); // queued: 1, at the mark
    assertFalse(emit()); // 2, above it
  }

  @Test
  void testFlowingRefill() {
    record();
    queue.pause();
    for (int i = 0; i < 8; i++) {
      assertEquals(i < 4, emit(), "write " + i);
    }
    queue.resume();
    assertEquals(range(0, 8), events);
    assertEquals(
        List.of("mark true after 0", "mark false after 8"),
        log,
        "back below the mark once all went out");
  }

  @Test
  void testPausedRequestLimited() {
    queue = queue(2);
    record();
    queue.pause();
    queue.fetch(1);
    assertTrue(emit());
    assertEquals(1, events.size());
    assertTrue(emit());
    assertTrue(emit());
    assertFalse(emit());
    assertEquals(1, events.size());
    assertEquals(List.of("mark true after 1"), log);
  }

  /**
   * Vert.x signals its drain only once the buffer is empty; kubehop's owner resumes its transport
   * as soon as the queue is back at the mark, which keeps the pipe full without letting the queue
   * grow past it.
   */
  @Test
  void testPauseWhenFull() {
    record();
    queue.pause();
    for (int i = 0; i < 5; i++) {
      assertEquals(i < 4, emit());
    }
    queue.fetch(1);
    assertEquals(List.of(0), events);
    assertEquals(List.of("mark true after 0", "mark false after 1"), log);
  }

  @Test
  void testPausedDrain() {
    record();
    queue.pause();
    fill();
    assertEquals(List.of(), events);
    queue.resume();
    assertEquals(range(0, 5), events);
    assertEquals(List.of("mark true after 0", "mark false after 5"), log);
  }

  /**
   * Also {@code testDrainAfter} and {@code testAddAllWhenDelivering}: writes from a handler wait
   * their turn.
   */
  @Test
  void testEmitInElementHandler() {
    AtomicBoolean receiving = new AtomicBoolean();
    queue.handler(
        b -> {
          assertFalse(receiving.getAndSet(true), "a handler never runs inside another");
          events.add((int) b.getByte(0));
          if (b.getByte(0) == 0) {
            fill();
            assertEquals(List.of(0), events, "nothing delivered from inside the handler");
          }
          receiving.set(false);
        });
    assertTrue(emit());
    assertEquals(6, sequence);
    assertEquals(range(0, 6), events);
    assertEquals(
        List.of(),
        log,
        "above the mark only while the loop could still deliver: no pause, no resume");
  }

  @Test
  void testPauseInElementHandler() {
    queue.handler(
        b -> {
          events.add((int) b.getByte(0));
          if (b.getByte(0) == 0) {
            fill();
            queue.pause();
          }
        });
    assertFalse(emit());
    assertEquals(List.of(0), events);
    assertEquals(5, queue.queuedBytes());
  }

  /**
   * Also {@code testBilto1} and {@code testBilto2}: writing from the drain callback neither nests
   * nor repeats it.
   */
  @Test
  void testEmitInDrainHandler() {
    AtomicBoolean inMark = new AtomicBoolean();
    AtomicInteger drains = new AtomicInteger();
    queue =
        new InboundQueue(
            Runnable::run,
            4,
            over -> {
              assertFalse(inMark.getAndSet(true), "the mark callback never runs inside itself");
              if (!over && drains.getAndIncrement() == 0) {
                assertTrue(emit()); // delivered after this callback returns, by the same loop
                assertEquals(5, events.size());
              }
              inMark.set(false);
            });
    record();
    queue.pause();
    fill();
    queue.resume();
    assertEquals(range(0, 6), events);
    assertEquals(1, drains.get());
  }

  @Test
  void testRefillQueueInHandlerTriggerDrainHandlerOnce() {
    queue.handler(
        b -> {
          if (b.getByte(0) == 3) {
            fill(); // refills while the last queued element still waits
          }
          events.add((int) b.getByte(0));
        });
    queue.pause();
    fill();
    queue.resume();
    assertEquals(range(0, 9), events);
    assertEquals(
        List.of("mark true after 0", "mark false after 9"), log, "one drain, after every element");
  }

  @Test
  void testBufferSignalingFullImmediately() {
    queue = queue(0);
    record();
    assertTrue(emit());
    assertEquals(List.of(0), events);
    queue.pause();
    assertFalse(emit());
    queue.resume();
    assertEquals(List.of(0, 1), events);
    assertEquals(List.of("mark true after 1", "mark false after 2"), log);
  }

  @Test
  void testEmptyHandler() {
    AtomicInteger emptied = new AtomicInteger();
    record();
    queue.emptyHandler(v -> emptied.incrementAndGet());
    assertTrue(emit());
    assertEquals(1, emptied.get(), "delivered straight through: the queue is empty again");
    queue.pause();
    emit();
    emit();
    emit();
    assertEquals(List.of(0), events);
    for (int i = 0; i < 3; i++) {
      assertEquals(1, emptied.get());
      queue.fetch(1);
    }
    assertEquals(2, emptied.get());
    assertEquals(range(0, 4), events);
  }

  /** The element written while the last fetched one is handled waits for the next fetch. */
  @Test
  void testEmitWhenHandlingLastItem() {
    queue.pause();
    fill();
    int next = sequence;
    queue.handler(
        b -> {
          events.add((int) b.getByte(0));
          if (events.size() == next) {
            queue.write(element(next));
          }
        });
    queue.fetch(next);
    assertEquals(range(0, next), events);
    assertEquals(1, queue.queuedBytes());
    queue.fetch(1);
    assertEquals(range(0, next + 1), events);
  }

  // ---- beyond InboundBufferTest: how kubehop's streams use the queue ----

  @Test
  void fetchingOneAtATimeFromTheHandlerIsALoopNotARecursion() {
    AtomicInteger depth = new AtomicInteger();
    AtomicInteger deepest = new AtomicInteger();
    queue = queue(Long.MAX_VALUE);
    queue.pause();
    queue.handler(
        b -> {
          deepest.accumulateAndGet(depth.incrementAndGet(), Math::max);
          events.add(events.size());
          queue.fetch(1);
          depth.decrementAndGet();
        });
    for (int i = 0; i < 10_000; i++) {
      queue.write(element(i));
    }
    queue.fetch(1);
    assertEquals(10_000, events.size());
    assertEquals(1, deepest.get());
  }

  @Test
  void endComesAfterTheQueuedDataAndOnlyOnce() {
    record();
    queue.endHandler(v -> log.add("end after " + events.size()));
    queue.pause();
    emit();
    emit();
    emit();
    queue.end();
    queue.end();
    assertEquals(List.of(), log);
    queue.fetch(2);
    assertEquals(List.of(), log, "one buffer still queued");
    queue.fetch(1);
    assertEquals(List.of("end after 3"), log);
    assertTrue(queue.isEndDelivered());
  }

  @Test
  void endWaitsForAnEndHandlerButNotForDemand() {
    record();
    emit();
    queue.end();
    assertTrue(queue.isEnded());
    assertFalse(queue.isEndDelivered(), "no end handler yet");
    queue.pause();
    queue.endHandler(v -> log.add("end after " + events.size()));
    assertEquals(List.of("end after 1"), log, "an end needs no demand, only an empty queue");
  }

  @Test
  void dataWaitsForAHandler() {
    emit();
    emit();
    assertEquals(2, queue.queuedBytes());
    record();
    assertEquals(List.of(0, 1), events);
  }

  @Test
  void emptyBuffersAndDataAfterTheEndAreDropped() {
    queue.pause();
    assertTrue(queue.write(Buffer.buffer()));
    assertTrue(queue.isEmpty());
    queue.end();
    emit();
    assertTrue(queue.isEmpty());
  }

  @Test
  void clearDropsTheDataReportsTheMarkAndLetsTheEndThrough() {
    record();
    queue.endHandler(v -> log.add("end after " + events.size()));
    queue.pause();
    fill();
    queue.clear();
    queue.end();
    assertEquals(List.of(), events);
    assertEquals(List.of("mark true after 0", "mark false after 0", "end after 0"), log);
  }

  @Test
  void clearFromTheHandlerStopsDelivery() {
    queue.handler(
        b -> {
          events.add((int) b.getByte(0));
          queue.clear();
        });
    queue.pause();
    emit();
    emit();
    queue.resume();
    assertEquals(List.of(0), events);
  }

  @Test
  void negativeFetchIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> queue.fetch(-1));
  }

  /** A reader on another thread: its calls run on the context, in the order it made them. */
  @Test
  void readerCallsFromAnotherThreadRunOnTheContextInOrder() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ContextConfinement confinement = new ContextConfinement(vertx.getOrCreateContext());
      CompletableFuture<List<String>> seen = new CompletableFuture<>();
      List<String> got = new ArrayList<>();
      InboundQueue q = new InboundQueue(confinement::run, 4, over -> {});
      q.pause();
      q.handler(
          b -> {
            got.add(b.toString() + (confinement.isOnContext() ? " on the context" : " elsewhere"));
            if (got.size() == 2) {
              seen.complete(got);
            }
          });
      confinement.run(
          () -> {
            q.write(Buffer.buffer("a"));
            q.write(Buffer.buffer("b"));
            q.write(Buffer.buffer("c"));
          });
      q.fetch(2);
      assertEquals(List.of("a on the context", "b on the context"), seen.get(10, TimeUnit.SECONDS));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
