package io.kubehop.streaming.spdy.frame;

import static io.kubehop.streaming.spdy.frame.Golden.unhex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.streaming.httpstream.HeaderBlock;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The decoder against hand-assembled frames (SPDY/3.1 layout), in every split, and its error
 * events.
 */
class SpdyFrameDecoderTest {

  private final FrameRecorder recorder = new FrameRecorder();
  private final SpdyFrameDecoder decoder = new SpdyFrameDecoder(recorder);

  @AfterEach
  void exhausted() {
    recorder.assertExhausted();
  }

  @Test
  void dataFrameWithFin() {
    decoder.decode(unhex("00000003 01 000005 68656c6c6f")); // stream 3, FIN, "hello"
    assertEquals(
        new SpdyFrame.Data(3, true, Buffer.buffer("hello")), recorder.next(SpdyFrame.Data.class));
  }

  @Test
  void emptyDataFrameWithFinIsAHalfClose() {
    decoder.decode(unhex("00000005 01 000000"));
    assertEquals(SpdyFrame.Data.finOf(5), recorder.next(SpdyFrame.Data.class));
  }

  @Test
  void pipelinedFramesInOneBuffer() {
    decoder.decode(
        unhex(
            "00000001 00 000002 6869" // DATA 1 "hi"
                + "80030006 00 000004 00000001" // PING 1
                + "80030003 00 000008 00000001 00000005" // RST_STREAM 1 CANCEL
                + "80030007 00 000008 00000003 00000000" // GOAWAY last-good 3 OK
                + "80030009 00 000008 00000001 00010000" // WINDOW_UPDATE 1 +65536
                + "80030004 00 00000c 00000001 00000007 00010000")); // SETTINGS initial window
    // 65536
    assertEquals(
        new SpdyFrame.Data(1, false, Buffer.buffer("hi")), recorder.next(SpdyFrame.Data.class));
    assertEquals(new SpdyFrame.Ping(1), recorder.next(SpdyFrame.Ping.class));
    assertEquals(
        new SpdyFrame.RstStream(1, RstStatus.CANCEL), recorder.next(SpdyFrame.RstStream.class));
    assertEquals(new SpdyFrame.GoAway(3, GoAwayStatus.OK), recorder.next(SpdyFrame.GoAway.class));
    assertEquals(new SpdyFrame.WindowUpdate(1, 65536), recorder.next(SpdyFrame.WindowUpdate.class));
    assertEquals(
        new SpdyFrame.Settings(0, List.of(new SpdyFrame.Setting(0, 7, 65536))),
        recorder.next(SpdyFrame.Settings.class));
  }

  @Test
  void everySplitOfAStreamGivesTheSameFrames() {
    SpdyFrameEncoder encoder = new SpdyFrameEncoder();
    Buffer wire = Buffer.buffer();
    encoder.encode(SpdyFrame.SynStream.of(1, HeaderBlock.of("streamtype", "stdin")), wire);
    encoder.encode(new SpdyFrame.Data(1, false, Buffer.buffer("abc")), wire);
    encoder.encode(new SpdyFrame.SynReply(1, 0, HeaderBlock.EMPTY), wire);
    encoder.encode(SpdyFrame.Data.finOf(1), wire);
    for (int split = 1; split < wire.length(); split++) {
      FrameRecorder r = new FrameRecorder();
      SpdyFrameDecoder d = new SpdyFrameDecoder(r);
      d.decode(wire.getBuffer(0, split));
      d.decode(wire.getBuffer(split, wire.length()));
      assertEquals(
          HeaderBlock.of("streamtype", "stdin"), r.next(SpdyFrame.SynStream.class).headers());
      assertEquals(Buffer.buffer("abc"), r.nextData(1, false), "split at " + split);
      assertEquals(
          new SpdyFrame.SynReply(1, 0, HeaderBlock.EMPTY), r.next(SpdyFrame.SynReply.class));
      assertEquals(SpdyFrame.Data.finOf(1), r.next(SpdyFrame.Data.class));
      r.assertExhausted();
    }
  }

  @Test
  void largeDataIsDeliveredAsItArrivesNotBufferedWhole() {
    Buffer payload = Buffer.buffer(new byte[100_000]);
    Buffer wire = new SpdyFrameEncoder().encode(new SpdyFrame.Data(7, true, payload));
    decoder.decode(wire.getBuffer(0, 8 + 1000));
    SpdyFrame.Data first = recorder.next(SpdyFrame.Data.class);
    assertEquals(1000, first.data().length());
    assertFalse(first.fin());
    decoder.decode(wire.getBuffer(8 + 1000, wire.length()));
    SpdyFrame.Data rest = recorder.next(SpdyFrame.Data.class);
    assertEquals(99_000, rest.data().length());
    assertTrue(rest.fin());
  }

  @Test
  void encoderSplitsDataAboveTheLengthLimit() {
    Buffer payload = Buffer.buffer(new byte[SpdyConstants.MAX_LENGTH + 10]);
    Buffer wire = new SpdyFrameEncoder().encode(new SpdyFrame.Data(1, true, payload));
    assertEquals(payload.length() + 16, wire.length());
    assertEquals("0000000100ffffff", Golden.hex(wire.getBuffer(0, 8)));
    assertEquals(
        "000000010100000a",
        Golden.hex(wire.getBuffer(8 + SpdyConstants.MAX_LENGTH, 16 + SpdyConstants.MAX_LENGTH)));
    decoder.decode(wire);
    assertEquals(payload.length(), recorder.nextData(1, true).length());
  }

  @Test
  void unknownControlFramesAreSkipped() {
    decoder.decode(
        unhex(
            "80030005 00 000000" // NOOP (SPDY/2), empty
                + "8003000a 00 000003 010203" // CREDENTIAL, 3 bytes
                + "80030006 00 000004 00000002")); // PING 2
    assertEquals(new SpdyFrame.Ping(2), recorder.next(SpdyFrame.Ping.class));
  }

  @Test
  void unknownControlFrameSkippedAcrossBuffers() {
    decoder.decode(unhex("800300ff 00 000004 0102"));
    decoder.decode(unhex("0304 80030006 00 000004 00000004"));
    assertEquals(new SpdyFrame.Ping(4), recorder.next(SpdyFrame.Ping.class));
  }

  @Test
  void dataOnStreamZeroIsFatalAndStopsDecoding() {
    decoder.decode(unhex("00000000 00 000001 61 80030006 00 000004 00000002"));
    assertEquals("stream id zero is disallowed", recorder.nextError().getMessage());
    decoder.decode(unhex("80030006 00 000004 00000002")); // ignored after the error
  }

  @Test
  void synStreamOnStreamZeroIsFatal() {
    Buffer wire = new SpdyFrameEncoder().encode(SpdyFrame.SynStream.of(1, HeaderBlock.EMPTY));
    wire.setInt(8, 0);
    decoder.decode(wire);
    assertEquals("stream id zero is disallowed", recorder.nextError().getMessage());
  }

  @Test
  void rstStreamOnStreamZeroIsFatal() {
    decoder.decode(unhex("80030003 00 000008 00000000 00000005"));
    assertEquals("stream id zero is disallowed", recorder.nextError().getMessage());
  }

  @Test
  void pingIdZeroIsFatal() {
    decoder.decode(unhex("80030006 00 000004 00000000"));
    assertEquals("stream id zero is disallowed", recorder.nextError().getMessage());
  }

  @Test
  void rstStatusZeroIsFatal() {
    decoder.decode(unhex("80030003 00 000008 00000001 00000000"));
    SpdyProtocolException e = recorder.nextError();
    assertEquals("invalid RST_STREAM status 0", e.getMessage());
    assertEquals(1, e.streamId());
  }

  /**
   * Netty's {@code SpdyStreamStatus.valueOf}: an undefined code is a status of its own, and goes
   * out unchanged.
   */
  @Test
  void unknownRstStreamStatusKeepsItsCodeBothWays() {
    String wire = "80030003 00 000008 00000001 00000063"; // RST_STREAM 1, status 99
    decoder.decode(unhex(wire));
    SpdyFrame.RstStream rst = recorder.next(SpdyFrame.RstStream.class);
    assertEquals(new SpdyFrame.RstStream(1, RstStatus.valueOf(99)), rst);
    assertEquals("UNKNOWN (99)", rst.status().name());
    assertEquals(99, rst.status().code());
    assertFalse(rst.status().isKnown());
    assertTrue(RstStatus.CANCEL.isKnown());
    assertEquals(wire.replace(" ", ""), Golden.hex(new SpdyFrameEncoder().encode(rst)));
  }

  @Test
  void unknownGoAwayStatusKeepsItsCodeBothWays() {
    String wire = "80030007 00 000008 00000003 ffffff00"; // GOAWAY last-good 3, status 4294967040
    decoder.decode(unhex(wire));
    SpdyFrame.GoAway goAway = recorder.next(SpdyFrame.GoAway.class);
    assertEquals(new SpdyFrame.GoAway(3, GoAwayStatus.valueOf(0xffffff00)), goAway);
    assertEquals("UNKNOWN (4294967040)", goAway.status().name());
    assertFalse(goAway.status().isKnown());
    assertTrue(GoAwayStatus.valueOf(2).isKnown());
    assertEquals(GoAwayStatus.INTERNAL_ERROR, GoAwayStatus.valueOf(2));
    assertEquals(wire.replace(" ", ""), Golden.hex(new SpdyFrameEncoder().encode(goAway)));
  }

  @Test
  void badFixedLengthsAreFatal() {
    decoder.decode(unhex("80030006 00 000005 0000000100"));
    assertEquals("invalid length 5 for control frame type 6", recorder.nextError().getMessage());
  }

  @Test
  void goAwayWithWrongLengthIsFatal() {
    decoder.decode(unhex("80030007 00 000004 00000000"));
    assertEquals("invalid length 4 for control frame type 7", recorder.nextError().getMessage());
  }

  @Test
  void synStreamShorterThanItsFixedPartIsFatal() {
    decoder.decode(unhex("80030001 00 000004 00000001"));
    assertEquals("invalid length 4 for control frame type 1", recorder.nextError().getMessage());
  }

  @Test
  void settingsCountMustMatchLength() {
    decoder.decode(unhex("80030004 00 00000c 00000002 00000007 00010000"));
    assertEquals("invalid SETTINGS entry count 2", recorder.nextError().getMessage());
  }

  @Test
  void oversizedControlFrameIsFatalBeforeBuffering() {
    decoder.decode(unhex("80030008 00 ffffff 00000001"));
    assertEquals("control frame too large: 16777215 bytes", recorder.nextError().getMessage());
  }

  @Test
  void corruptHeaderBlockIsFatal() {
    decoder.decode(unhex("80030002 00 000008 00000001 deadbeef"));
    assertTrue(recorder.nextError().getMessage().startsWith("invalid header block compression"));
  }

  @Test
  void upperCaseOrDuplicateHeaderNamesAreFatal() {
    assertEquals(
        "header was not lowercased",
        assertThrows(
                SpdyProtocolException.class,
                () -> HeaderBlockDecoder.parse(raw("Streamtype", "error"), 1))
            .getMessage());
    assertEquals(
        "multiple headers with same name",
        assertThrows(
                SpdyProtocolException.class,
                () -> HeaderBlockDecoder.parse(raw("a", "1", "a", "2"), 1))
            .getMessage());
  }

  @Test
  void nulJoinedValuesAreSplit() throws Exception {
    HeaderBlock h = HeaderBlockDecoder.parse(raw("x", "1\u00002"), 1);
    assertEquals(List.of("1", "2"), h.getAll("X"));
    assertEquals("1", h.get("x"));
  }

  @Test
  void encoderLowerCasesAndJoinsRepeatedNames() {
    HeaderBlock h = HeaderBlock.builder().add("StreamType", "a").add("streamtype", "b").build();
    assertEquals(
        Golden.hex(raw("streamtype", "a\u0000b")),
        Golden.hex(Buffer.buffer(HeaderBlockEncoder.raw(h))));
  }

  @Test
  void encoderRefusesWhatGoTreatsAsFatal() {
    SpdyFrameEncoder encoder = new SpdyFrameEncoder();
    assertThrows(
        IllegalArgumentException.class,
        () -> encoder.encode(new SpdyFrame.Data(0, false, Buffer.buffer())));
    assertThrows(IllegalArgumentException.class, () -> encoder.encode(new SpdyFrame.Ping(0)));
    assertThrows(
        IllegalArgumentException.class,
        () -> encoder.encode(SpdyFrame.SynStream.of(1, HeaderBlock.of("host", "x"))));
    assertThrows(
        IllegalArgumentException.class,
        () -> encoder.encode(new SpdyFrame.SynReply(1, 0, HeaderBlock.of("Connection", "close"))));
  }

  @Test
  void fixedFramesEncodeAsSpecified() {
    SpdyFrameEncoder e = new SpdyFrameEncoder();
    assertEquals(
        "8003000300000008000000030000000" + "5",
        Golden.hex(e.encode(new SpdyFrame.RstStream(3, RstStatus.CANCEL))));
    assertEquals(
        "800300070000000800000007" + "00000000",
        Golden.hex(e.encode(new SpdyFrame.GoAway(7, GoAwayStatus.OK))));
    assertEquals("800300060000000400000002", Golden.hex(e.encode(new SpdyFrame.Ping(2))));
    assertEquals("0000000301000000", Golden.hex(e.encode(SpdyFrame.Data.finOf(3))));
  }

  private static Buffer raw(String... namesAndValues) {
    Buffer b = Buffer.buffer().appendInt(namesAndValues.length / 2);
    for (String s : namesAndValues) {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      b.appendInt(bytes.length).appendBytes(bytes);
    }
    return b;
  }
}
