package io.kubehop.runtime.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The attacher's buffer: bounded, blocking the producer when full, released on close. */
class BoundedOutputQueueTest {

  @Test
  void producerWaitsWhileFullAndResumesWhenDrained() throws Exception {
    BoundedOutputQueue queue = new BoundedOutputQueue(8);
    queue.onOutput(StreamType.STDOUT, new byte[6]);
    CompletableFuture<Void> second =
        CompletableFuture.runAsync(() -> queue.onOutput(StreamType.STDERR, new byte[4]));
    assertFalse(completesWithin(second, 200), "producer must wait while the queue is full");
    assertEquals(6, queue.poll(1, TimeUnit.SECONDS).chunk().length);
    second.get(5, TimeUnit.SECONDS);
    BoundedOutputQueue.Chunk chunk = queue.poll(1, TimeUnit.SECONDS);
    assertEquals(StreamType.STDERR, chunk.stream());
    assertArrayEquals(new byte[4], chunk.chunk());
  }

  @Test
  void closeReleasesAWaitingProducerAndDropsOutput() throws Exception {
    BoundedOutputQueue queue = new BoundedOutputQueue(4);
    queue.onOutput(StreamType.STDOUT, new byte[4]);
    CompletableFuture<Void> blocked =
        CompletableFuture.runAsync(() -> queue.onOutput(StreamType.STDOUT, new byte[1]));
    queue.close();
    blocked.get(5, TimeUnit.SECONDS);
    assertEquals(0, queue.queuedBytes());
    assertNull(queue.poll(10, TimeUnit.MILLISECONDS));
  }

  @Test
  void endIsMarkedAfterTheLastChunk() throws Exception {
    BoundedOutputQueue queue = new BoundedOutputQueue(16);
    queue.onOutput(StreamType.STDOUT, new byte[] {'a'});
    queue.onEnd();
    assertArrayEquals(new byte[] {'a'}, queue.poll(1, TimeUnit.SECONDS).chunk());
    assertTrue(queue.poll(1, TimeUnit.SECONDS).chunk() == null);
  }

  private static boolean completesWithin(CompletableFuture<?> future, long millis)
      throws Exception {
    try {
      future.get(millis, TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    }
  }
}
