package io.kubehop.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Frame boundaries, unmasking and labels of WebSocket streams, first of all the golden v5 messages.
 */
class WebSocketFrameSplitterTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final String EXEC = "/api/v1/namespaces/default/pods/demo/exec";
  private static final GoldenLines GOLDEN = GoldenLines.golden("ws/kubectl-exec-v5.hex");

  /** What the tool calls each golden line (docs/wire-captures.md lists the same). */
  private static final Map<String, String> LABELS =
      Map.of(
          "initial-stdout",
          "binary-stdout",
          "stdout-hi",
          "binary-stdout",
          "status-success",
          "binary-error",
          "stdin-hello",
          "binary-stdin",
          "close-stdin",
          "binary-close-stdin",
          "resize",
          "binary-resize",
          "stdin-typed",
          "binary-stdin");

  private static final byte[] KEY = HEX.parseHex("37fa213d");

  @Test
  void goldenMessagesInServerAndMaskedClientFramesSplitBackIntoTheirLines() {
    for (String direction : List.of("C>S", "S>C")) {
      boolean masked = direction.equals("C>S"); // RFC 6455: clients mask every frame, servers none
      List<GoldenLines.Line> lines = GOLDEN.from(direction);
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      lines.forEach(l -> wire.writeBytes(frame(0x82, l.bytes(), masked)));
      List<CapturedFrame> expected =
          lines.stream().map(l -> new CapturedFrame(LABELS.get(l.name()), l.hex())).toList();
      byte[] bytes = wire.toByteArray();
      assertEquals(expected, v5().feed(bytes, 0, bytes.length), direction + " in one piece");
      assertEquals(
          expected, SpdyFrameSplitterTest.byteAtATime(v5(), bytes), direction + " byte at a time");
    }
  }

  @Test
  void extendedLengthsOf16And64Bits() {
    byte[] medium = payload(0x01, 300);
    byte[] large = payload(0x02, 70_000);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(frame(0x82, medium, true));
    wire.writeBytes(frame(0x82, large, false));
    byte[] bytes = wire.toByteArray();
    assertEquals(
        "82fe012c", HEX.formatHex(bytes, 0, 4), "126: a 16-bit length follows, then the mask key");
    assertEquals(
        "827f0000000000011170",
        HEX.formatHex(bytes, 2 + 2 + 4 + 300, 2 + 2 + 4 + 300 + 10),
        "127: a 64-bit length follows");
    assertEquals(
        List.of(
            new CapturedFrame("binary-stdout", HEX.formatHex(medium)),
            new CapturedFrame("binary-stderr", HEX.formatHex(large))),
        v5().feed(bytes, 0, bytes.length));
  }

  @Test
  void controlFramesAndFragments() {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(frame(0x88, HEX.parseHex("03e8"), false)); // the server's close, code 1000
    wire.writeBytes(frame(0x88, HEX.parseHex("03e8"), true)); // the client's echo, masked
    wire.writeBytes(frame(0x89, new byte[0], true));
    wire.writeBytes(frame(0x8a, new byte[0], false));
    wire.writeBytes(frame(0x02, HEX.parseHex("0161"), false)); // FIN clear: more follows
    wire.writeBytes(frame(0x80, HEX.parseHex("62"), false)); // continuation carries no channel byte
    wire.writeBytes(frame(0x82, new byte[0], false)); // an empty message names no channel
    wire.writeBytes(frame(0x82, HEX.parseHex("ff00ff"), true)); // not a close signal: three bytes
    wire.writeBytes(frame(0x8b, new byte[0], false)); // reserved opcode
    byte[] bytes = wire.toByteArray();
    assertEquals(
        List.of(
            new CapturedFrame("close", "03e8"),
            new CapturedFrame("close", "03e8"),
            new CapturedFrame("ping", ""),
            new CapturedFrame("pong", ""),
            new CapturedFrame("binary-stdout-nofin", "0161"),
            new CapturedFrame("continuation", "62"),
            new CapturedFrame("binary", ""),
            new CapturedFrame("binary-ch255", "ff00ff"),
            new CapturedFrame("opcode-11", "")),
        v5().feed(bytes, 0, bytes.length));
  }

  @Test
  void channelNamesFollowTheNegotiatedProtocolAndTheVerb() {
    byte[] close = frame(0x82, HEX.parseHex("ff00"), true);
    assertEquals(
        List.of(new CapturedFrame("binary-ch255", "ff00")),
        new WebSocketFrameSplitter("v4.channel.k8s.io", EXEC).feed(close, 0, close.length),
        "v4 has no close signal");
    // base64 protocols: the channel as the digit '0', then the payload "hi" in base64
    byte[] text = frame(0x81, "0aGk=".getBytes(StandardCharsets.US_ASCII), true);
    assertEquals(
        List.of(
            new CapturedFrame(
                "text-stdin", HEX.formatHex("0aGk=".getBytes(StandardCharsets.US_ASCII)))),
        new WebSocketFrameSplitter("v4.base64.channel.k8s.io", EXEC).feed(text, 0, text.length));
    byte[] data =
        frame(0x82, HEX.parseHex("0050"), false); // port-forward: data 2i, error 2i+1, no names
    assertEquals(
        List.of(new CapturedFrame("binary-ch0", "0050")),
        new WebSocketFrameSplitter(
                "v4.channel.k8s.io", "/api/v1/namespaces/default/pods/web/portforward")
            .feed(data, 0, data.length));
    byte[] spdy =
        frame(0x82, HEX.parseHex("8003"), true); // SPDY tunnelled: raw frame bytes, no channel
    assertEquals(
        List.of(new CapturedFrame("binary", "8003")),
        new WebSocketFrameSplitter(
                "SPDY/3.1+portforward.k8s.io", "/api/v1/namespaces/default/pods/web/portforward")
            .feed(spdy, 0, spdy.length));
  }

  @Test
  void aFrameTooLargeToHoldIsRefused() {
    byte[] header = HEX.parseHex("827f7fffffffffffffff");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> v5().feed(header, 0, header.length));
    assertEquals(
        "a WebSocket frame of 9223372036854775807 bytes is too large to record", e.getMessage());
  }

  private static WebSocketFrameSplitter v5() {
    return new WebSocketFrameSplitter("v5.channel.k8s.io", EXEC);
  }

  private static byte[] payload(int channel, int size) {
    byte[] p = new byte[size];
    for (int i = 0; i < size; i++) {
      p[i] = (byte) i;
    }
    p[0] = (byte) channel;
    return p;
  }

  /** An RFC 6455 frame with first byte {@code b0}, masked with {@link #KEY} if {@code masked}. */
  static byte[] frame(int b0, byte[] payload, boolean masked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(b0);
    int mask = masked ? 0x80 : 0;
    if (payload.length < 126) {
      out.write(mask | payload.length);
    } else if (payload.length < 65536) {
      out.write(mask | 126);
      out.write(payload.length >> 8);
      out.write(payload.length);
    } else {
      out.write(mask | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) ((long) payload.length >> shift));
      }
    }
    if (masked) {
      out.writeBytes(KEY);
    }
    for (int i = 0; i < payload.length; i++) {
      out.write(masked ? payload[i] ^ KEY[i & 3] : payload[i]);
    }
    return out.toByteArray();
  }
}
