package io.kubehop.streaming.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.streaming.httpstream.HeaderBlock;
import io.kubehop.streaming.spdy.frame.SpdyFrame;
import io.kubehop.streaming.spdy.frame.SpdyFrameEncoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tap over both directions of an exec's SPDY connection, fed one byte at a time: one event per
 * frame, with the stream type the other direction's SYN_STREAM declared, exact lengths and flags,
 * the payload as text, a long payload cut to its preview, and hex for what is not UTF-8.
 */
class SpdyFrameTapTest {

  @Test
  void oneEventPerFrameWithItsStreamTypeWhateverTheSplit(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("frames.jsonl");
    FrameTracer tracer = FrameTracer.to(file, "apiserver", FrameTracer.ALL);
    Map<Integer, String> types = SpdyFrameTap.streamTypes();
    SpdyFrameTap up = new SpdyFrameTap(tracer, "s-1", "client", "kubelet", types);
    SpdyFrameTap down = new SpdyFrameTap(tracer, "s-1", "kubelet", "client", types);
    SpdyFrameEncoder client = new SpdyFrameEncoder();
    SpdyFrameEncoder kubelet = new SpdyFrameEncoder();

    byteByByte(up, client.encode(SpdyFrame.SynStream.of(1, HeaderBlock.of("streamtype", "error"))));
    byteByByte(up, client.encode(SpdyFrame.SynStream.of(3, HeaderBlock.of("streamtype", "stdin"))));
    byteByByte(up, client.encode(new SpdyFrame.Data(3, false, Buffer.buffer("hi\n"))));
    byteByByte(down, kubelet.encode(new SpdyFrame.SynReply(3, 0, HeaderBlock.EMPTY)));
    byte[] big = new byte[1000];
    java.util.Arrays.fill(big, (byte) 'x');
    down.accept(kubelet.encode(new SpdyFrame.Data(1, true, Buffer.buffer(big))));
    down.accept(
        kubelet.encode(new SpdyFrame.Data(1, false, Buffer.buffer(new byte[] {(byte) 0xff, 0}))));
    tracer.close();

    List<JsonObject> events = Files.readAllLines(file).stream().map(JsonObject::new).toList();
    assertEquals(6, events.size(), events.toString());
    for (JsonObject e : events) {
      assertEquals("apiserver", e.getString("tier"));
      assertEquals("s-1", e.getString("session"));
      assertEquals("spdy/3.1", e.getString("protocol"));
      assertTrue(e.containsKey("time"));
    }
    assertEquals(
        List.of("client", "client", "client", "kubelet", "kubelet", "kubelet"),
        events.stream().map(e -> e.getString("from")).toList());
    assertEquals("SYN_STREAM", events.get(0).getString("frame"));
    assertEquals("error", events.get(0).getString("streamType"));
    assertEquals(1, events.get(0).getInteger("stream"));
    JsonObject stdin = events.get(2);
    assertEquals("DATA", stdin.getString("frame"));
    assertEquals(3, stdin.getInteger("stream"));
    assertEquals("stdin", stdin.getString("streamType"));
    assertEquals(3, stdin.getInteger("length"));
    assertEquals(0, stdin.getInteger("flags"));
    assertEquals("hi\n", stdin.getString("text"));
    assertFalse(stdin.containsKey("truncated"));
    assertEquals("SYN_REPLY", events.get(3).getString("frame"));
    assertEquals(
        "stdin", events.get(3).getString("streamType"), "a stream opened by the other side");
    JsonObject error = events.get(4);
    assertEquals("error", error.getString("streamType"));
    assertEquals(1000, error.getInteger("length"));
    assertEquals(1, error.getInteger("flags"), "FIN");
    assertEquals("x".repeat(SpdyFrameTap.PREVIEW), error.getString("text"));
    assertTrue(error.getBoolean("truncated"));
    assertEquals("ff00", events.get(5).getString("hex"));
  }

  @Test
  void terminalOutputIsTextAndNulsAreHex() {
    JsonObject tty = new JsonObject();
    SpdyFrameTap.describe(Buffer.buffer("\u001b[1mhi\u001b[0m\r\n\t\u0007"), 17, tty);
    assertEquals("\u001b[1mhi\u001b[0m\r\n\t\u0007", tty.getString("text"));
    JsonObject zeros = new JsonObject();
    SpdyFrameTap.describe(Buffer.buffer(new byte[4]), 1 << 20, zeros);
    assertEquals("00000000", zeros.getString("hex"));
    assertTrue(zeros.getBoolean("truncated"));
  }

  @Test
  void garbageEndsTheTapWithOneErrorEvent(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("frames.jsonl");
    FrameTracer tracer = FrameTracer.to(file, "kubelet", FrameTracer.ALL);
    SpdyFrameTap tap =
        new SpdyFrameTap(tracer, "s-2", "apiserver", "runtime", SpdyFrameTap.streamTypes());
    // A SYN_STREAM whose header block is not zlib: the decoder reports it, the tap stops.
    tap.accept(
        Buffer.buffer(
            new byte[] {
              (byte) 0x80, 3, 0, 1, 0, 0, 0, 14, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4
            }));
    tap.accept(Buffer.buffer("more garbage after it"));
    tracer.close();
    List<JsonObject> events = Files.readAllLines(file).stream().map(JsonObject::new).toList();
    assertEquals(1, events.size(), events.toString());
    assertTrue(events.get(0).containsKey("error"), events.toString());
  }

  @Test
  void tracesOnlyTheSessionItWasAskedFor() {
    FrameTracer off = FrameTracer.OFF;
    assertFalse(off.traces("a"));
    FrameTracer one = FrameTracer.to(Path.of("target", "one-session.jsonl"), "kubelet", "abc");
    try (one) {
      assertTrue(one.traces("abc"));
      assertFalse(one.traces("abd"));
    }
    assertFalse(one.traces("abc"), "closed");
  }

  private static void byteByByte(SpdyFrameTap tap, Buffer bytes) {
    for (int i = 0; i < bytes.length(); i++) {
      tap.accept(bytes.getBuffer(i, i + 1));
    }
  }
}
