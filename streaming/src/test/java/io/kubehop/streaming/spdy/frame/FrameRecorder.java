package io.kubehop.streaming.spdy.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Records decoder events in order; tests take them one by one and finish with {@link
 * #assertExhausted()}.
 */
final class FrameRecorder implements SpdyFrameDecoder.Listener {

  private final Deque<Object> events = new ArrayDeque<>();

  @Override
  public void onFrame(SpdyFrame frame) {
    events.add(frame);
  }

  @Override
  public void onFrameError(SpdyProtocolException error) {
    events.add(error);
  }

  <T extends SpdyFrame> T next(Class<T> type) {
    Object e = events.poll();
    assertNotNull(e, "expected a " + type.getSimpleName() + ", got nothing");
    assertTrue(type.isInstance(e), "expected a " + type.getSimpleName() + ", got " + e);
    return type.cast(e);
  }

  SpdyProtocolException nextError() {
    Object e = events.poll();
    assertTrue(e instanceof SpdyProtocolException, "expected an error, got " + e);
    return (SpdyProtocolException) e;
  }

  /**
   * Joins consecutive Data events of one stream (a frame may arrive in pieces) up to and including
   * a FIN.
   */
  Buffer nextData(int streamId, boolean expectFin) {
    Buffer all = Buffer.buffer();
    while (true) {
      SpdyFrame.Data d = next(SpdyFrame.Data.class);
      assertEquals(streamId, d.streamId());
      all.appendBuffer(d.data());
      if (d.fin() || (!expectFin && !(events.peek() instanceof SpdyFrame.Data))) {
        assertEquals(expectFin, d.fin());
        return all;
      }
    }
  }

  void assertExhausted() {
    assertTrue(events.isEmpty(), "unexpected events: " + events);
  }
}
