package io.kubehop.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Frame boundaries and labels of SPDY/3.1 streams, first of all the golden kubectl session. */
class SpdyFrameSplitterTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final GoldenLines GOLDEN = GoldenLines.golden("spdy/kubectl-exec.hex");

  /** What the tool calls each golden line (docs/wire-captures.md lists the same). */
  private static final Map<String, String> LABELS =
      Map.of(
          "syn-stream-error",
          "syn-stream-1",
          "syn-reply-1",
          "syn-reply-1",
          "syn-stream-stdout",
          "syn-stream-3",
          "syn-reply-3",
          "syn-reply-3");

  @Test
  void goldenSessionSplitsIntoItsLinesWithTheToolsLabels() {
    for (String direction : List.of("C>S", "S>C")) {
      List<GoldenLines.Line> lines = GOLDEN.from(direction);
      List<CapturedFrame> expected =
          lines.stream().map(l -> new CapturedFrame(LABELS.get(l.name()), l.hex())).toList();
      byte[] wire = concat(lines);
      assertEquals(
          expected,
          new SpdyFrameSplitter().feed(wire, 0, wire.length),
          direction + " in one piece");
      assertEquals(
          expected, byteAtATime(new SpdyFrameSplitter(), wire), direction + " byte at a time");
    }
  }

  @Test
  void aFrameSplitAcrossReadsIsHeldUntilComplete() {
    byte[] wire = GOLDEN.named("syn-stream-error").bytes();
    SpdyFrameSplitter splitter = new SpdyFrameSplitter();
    assertEquals(List.of(), splitter.feed(wire, 0, 7), "less than a header");
    assertEquals(List.of(), splitter.feed(wire, 7, 10), "header, part of the body");
    assertEquals(HEX.formatHex(wire, 0, 17), HEX.formatHex(splitter.pending()));
    assertEquals(
        List.of(new CapturedFrame("syn-stream-1", HEX.formatHex(wire))),
        splitter.feed(wire, 17, wire.length - 17));
    assertEquals(0, splitter.pending().length);
  }

  @Test
  void everyFrameTypeKubectlOrAServerSends() {
    List<String> frames =
        List.of(
            "0000000301000000", // DATA stream 3, FIN, empty: the stdin EOF
            "0000000500000003686921", // DATA stream 5 "hi!"
            "800300030000000800000003" + "00000005", // RST_STREAM 3 CANCEL
            "800300070000000800000000" + "00000000", // GOAWAY last-good 0, OK
            "800300060000000400000001", // PING 1
            "800300060000000480000001", // PING 0x80000001: a 32-bit unsigned id
            "80030004000000040000" + "0000", // SETTINGS, no entries
            "800300090000000800000000" + "00010000", // WINDOW_UPDATE session
            "8003000801000004" + "00000007", // HEADERS 7, FIN, no block
            "8003000101000004"
                + "00000009", // SYN_STREAM 9 with FIN (truncated body; the label only needs the id)
            "800300050000000100"); // type 5 (NOOP in SPDY/2)
    List<String> labels =
        List.of(
            "data-3-fin",
            "data-5",
            "rst-stream-3",
            "goaway",
            "ping-1",
            "ping-2147483649",
            "settings",
            "window-update-0",
            "headers-7-fin",
            "syn-stream-9-fin",
            "control-type-5");
    byte[] wire = HEX.parseHex(String.join("", frames));
    List<CapturedFrame> expected = new ArrayList<>();
    for (int i = 0; i < frames.size(); i++) {
      expected.add(new CapturedFrame(labels.get(i), frames.get(i)));
    }
    assertEquals(
        expected, new SpdyFrameSplitter().feed(wire, 0, wire.length), "pipelined in one read");
    assertEquals(expected, byteAtATime(new SpdyFrameSplitter(), wire));
  }

  @Test
  void theLengthIsTheLow24BitsOfTheSecondWord() {
    // flags 0xff must not leak into the length; 0x000102 = 258 bytes follow the header
    byte[] frame = new byte[8 + 258];
    System.arraycopy(HEX.parseHex("00000001ff000102"), 0, frame, 0, 8);
    byte[] wire = new byte[frame.length + 3];
    System.arraycopy(frame, 0, wire, 0, frame.length);
    List<CapturedFrame> frames = new SpdyFrameSplitter().feed(wire, 0, wire.length);
    assertEquals(List.of(new CapturedFrame("data-1-fin", HEX.formatHex(frame))), frames);
  }

  static byte[] concat(List<GoldenLines.Line> lines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    lines.forEach(l -> out.writeBytes(l.bytes()));
    return out.toByteArray();
  }

  static List<CapturedFrame> byteAtATime(FrameSplitter splitter, byte[] wire) {
    List<CapturedFrame> frames = new ArrayList<>();
    for (int i = 0; i < wire.length; i++) {
      frames.addAll(splitter.feed(wire, i, 1));
    }
    return frames;
  }
}
