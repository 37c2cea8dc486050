package io.kubehop.streaming.spdy.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The walker reports each frame once, at its last byte, with its header taken apart and the first
 * bytes of its payload, whatever the split; and it knows when it stands between two frames.
 */
class SpdyFrameWalkerTest {

  record Walked(SpdyFrameWalker.Head head, String preview) {}

  private final List<Walked> walked = new ArrayList<>();
  private final SpdyFrameWalker walker =
      new SpdyFrameWalker(4, (head, preview) -> walked.add(new Walked(head, Golden.hex(preview))));

  /** kubectl's SYN_STREAM (error), the reply, stdout "hi\n", an empty DATA with FIN. */
  private static final Buffer EXEC =
      Buffer.buffer()
          .appendBuffer(Golden.load("kubectl-exec.hex").get("syn-stream-error"))
          .appendBuffer(Golden.load("kubectl-exec.hex").get("syn-reply-1"))
          .appendBuffer(Golden.unhex("00000003 00 000003 68690a")) // DATA stream=3 "hi\n"
          .appendBuffer(Golden.unhex("00000001 01 000000")); // DATA stream=1 FIN, empty

  private static final List<Walked> EXPECTED =
      List.of(
          new Walked(new SpdyFrameWalker.Head(0x80030001, 0, 0x29), "00000001"),
          new Walked(new SpdyFrameWalker.Head(0x80030002, 0, 0x14), "00000001"),
          new Walked(new SpdyFrameWalker.Head(3, 0, 3), "68690a"),
          new Walked(new SpdyFrameWalker.Head(1, SpdyConstants.FLAG_FIN, 0), ""));

  @Test
  void oneReportPerFrameAtItsLastByteWhole() {
    walker.accept(EXEC);
    assertEquals(EXPECTED, walked);
    assertTrue(walker.atFrameBoundary());
  }

  @Test
  void oneReportPerFrameAtItsLastByteByteByByte() {
    for (int i = 0; i < EXEC.length(); i++) {
      walker.accept(EXEC.getBuffer(i, i + 1));
    }
    assertEquals(EXPECTED, walked);
    assertTrue(walker.atFrameBoundary());
  }

  @Test
  void knowsWhereItStands() {
    assertTrue(walker.atFrameBoundary(), "nothing yet");
    walker.accept(Golden.unhex("00000003 00 00")); // half a header
    assertFalse(walker.atFrameBoundary());
    walker.accept(Golden.unhex("0003 6869")); // the header, two of three payload bytes
    assertFalse(walker.atFrameBoundary());
    assertTrue(walked.isEmpty());
    walker.accept(Golden.unhex("0a"));
    assertTrue(walker.atFrameBoundary());
    assertEquals(List.of(new Walked(new SpdyFrameWalker.Head(3, 0, 3), "68690a")), walked);
  }

  @Test
  void theHeadTakesControlFramesApart() {
    SpdyFrameWalker.Head rst = new SpdyFrameWalker.Head(0x80030003, 0, 8);
    assertTrue(rst.isControl());
    assertEquals(SpdyConstants.TYPE_RST_STREAM, rst.type());
    assertTrue(rst.opensWithStreamId());
    SpdyFrameWalker.Head ping = new SpdyFrameWalker.Head(0x80030006, 0, 4);
    assertFalse(ping.opensWithStreamId());
    SpdyFrameWalker.Head data = new SpdyFrameWalker.Head(5, 1, 0);
    assertFalse(data.isControl());
    assertFalse(data.opensWithStreamId());
    assertEquals(5, data.dataStreamId());
    assertTrue(data.fin());
  }
}
