package io.kubehop.streaming.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden bytes of the channel messages (docs/wire-captures.md: golden/ws/kubectl-exec-v5.hex,
 * §4.2).
 */
class ChannelCodecTest {

  private static final HexFormat HEX = HexFormat.of();

  private static Buffer hex(String h) {
    return Buffer.buffer(HEX.parseHex(h.replace(" ", "")));
  }

  private static Buffer text(String s) {
    return Buffer.buffer(s.getBytes(StandardCharsets.UTF_8));
  }

  static Stream<Arguments> encodings() {
    return Stream.of(
        Arguments.of(
            Named.of("v5 stdout hi", ChannelProtocol.V5), 1, text("hi\n"), false, "01 68 69 0a"),
        Arguments.of(
            Named.of("v4 stderr", ChannelProtocol.V4), 2, text("err"), false, "02 65 72 72"),
        Arguments.of(
            Named.of("v5 status Success", ChannelProtocol.V5),
            3,
            text("{\"metadata\":{},\"status\":\"Success\"}"),
            false,
            "03 7b226d65746164617461223a7b7d2c22737461747573223a2253756363657373227d"),
        Arguments.of(
            Named.of("channel.k8s.io stdout", ChannelProtocol.CHANNEL),
            1,
            text("x"),
            false,
            "01 78"),
        Arguments.of(
            Named.of("base64 stdout hi", ChannelProtocol.BASE64),
            1,
            text("hi\n"),
            true,
            HEX.formatHex("1aGkK".getBytes(StandardCharsets.US_ASCII))),
        Arguments.of(
            Named.of("v4.base64 stderr, padding", ChannelProtocol.V4_BASE64),
            2,
            text("ab"),
            true,
            HEX.formatHex("2YWI=".getBytes(StandardCharsets.US_ASCII))));
  }

  @ParameterizedTest
  @MethodSource("encodings")
  void encodesAndDecodesGoldenBytes(
      ChannelProtocol protocol, int channel, Buffer payload, boolean text, String golden) {
    ChannelCodec.Outbound out = ChannelCodec.encode(protocol, channel, payload);
    assertEquals(text, out.text());
    assertEquals(golden.replace(" ", ""), HEX.formatHex(out.bytes().getBytes()));
    assertEquals(
        new ChannelCodec.Inbound.Data(channel, payload),
        ChannelCodec.decode(protocol, hex(golden)));
  }

  /**
   * The v5 session kubectl runs (golden/ws/kubectl-exec-v5.hex): what we send, byte for byte; what
   * it sends, decoded.
   */
  @Test
  void kubectlV5SessionGolden() {
    Map<String, Buffer> golden = load("/golden/ws/kubectl-exec-v5.hex");
    ChannelProtocol v5 = ChannelProtocol.V5;
    assertEquals(golden.get("initial-stdout"), ChannelCodec.initial(v5, 1).bytes());
    assertEquals(golden.get("stdout-hi"), ChannelCodec.encode(v5, 1, text("hi\n")).bytes());
    assertEquals(
        golden.get("status-success"),
        ChannelCodec.encode(v5, 3, text("{\"metadata\":{},\"status\":\"Success\"}")).bytes());
    assertEquals(
        new ChannelCodec.Inbound.Data(0, text("hello-stdin\n")),
        ChannelCodec.decode(v5, golden.get("stdin-hello")));
    assertEquals(
        new ChannelCodec.Inbound.Close(0), ChannelCodec.decode(v5, golden.get("close-stdin")));
    assertEquals(golden.get("close-stdin"), ChannelCodec.closeSignal(0).bytes());
    assertEquals(
        new ChannelCodec.Inbound.Data(4, text("{\"Width\":0,\"Height\":0}\n")),
        ChannelCodec.decode(v5, golden.get("resize")));
    assertEquals(
        new ChannelCodec.Inbound.Data(0, text("typed\r")),
        ChannelCodec.decode(v5, golden.get("stdin-typed")));
  }

  /** {@code direction name hex} per line, {@code #} comments. */
  private static Map<String, Buffer> load(String resource) {
    try (var in = ChannelCodecTest.class.getResourceAsStream(resource)) {
      Map<String, Buffer> messages = new LinkedHashMap<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          String[] parts = line.trim().split("\\s+");
          messages.put(parts[1], hex(parts[2]));
        }
      }
      return messages;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void initialEmptyMessageOnTheLowestWritableChannel() {
    assertEquals(
        "01", HEX.formatHex(ChannelCodec.initial(ChannelProtocol.V5, 1).bytes().getBytes()));
    assertEquals(
        "03", HEX.formatHex(ChannelCodec.initial(ChannelProtocol.V4, 3).bytes().getBytes()));
    ChannelCodec.Outbound b64 = ChannelCodec.initial(ChannelProtocol.BASE64, 1);
    assertTrue(b64.text());
    assertEquals("1", b64.bytes().toString());
    ChannelCodec.Outbound b64err = ChannelCodec.initial(ChannelProtocol.V4_BASE64, 2);
    assertEquals("2", b64err.bytes().toString());
  }

  @Test
  void v5CloseSignal() {
    ChannelCodec.Outbound close = ChannelCodec.closeSignal(0);
    assertFalse(close.text());
    assertEquals("ff00", HEX.formatHex(close.bytes().getBytes()));
    assertEquals(
        new ChannelCodec.Inbound.Close(0), ChannelCodec.decode(ChannelProtocol.V5, hex("ff 00")));
    assertEquals(
        new ChannelCodec.Inbound.Close(4), ChannelCodec.decode(ChannelProtocol.V5, hex("ff 04")));
  }

  @Test
  void malformedV5CloseSignalsAreProtocolErrors() {
    assertEquals(
        new ChannelCodec.Inbound.ProtocolError("invalid close signal: 3 bytes"),
        ChannelCodec.decode(ChannelProtocol.V5, hex("ff 00 00")));
    assertEquals(
        new ChannelCodec.Inbound.ProtocolError("invalid close signal: 1 bytes"),
        ChannelCodec.decode(ChannelProtocol.V5, hex("ff")));
    assertEquals(
        new ChannelCodec.Inbound.ProtocolError("close signal for unknown channel 5"),
        ChannelCodec.decode(ChannelProtocol.V5, hex("ff 05")));
  }

  @Test
  void before5TheCloseByteIsJustAnUnknownChannel() {
    assertEquals(
        new ChannelCodec.Inbound.ProtocolError(
            "frame is targeted for a reader 255 that is not valid"),
        ChannelCodec.decode(ChannelProtocol.V4, hex("ff 00")));
  }

  @Test
  void ignoredMessages() {
    assertEquals(
        new ChannelCodec.Inbound.Ignored("empty message"),
        ChannelCodec.decode(ChannelProtocol.V5, Buffer.buffer()));
    assertEquals(
        new ChannelCodec.Inbound.Ignored("invalid base64 on channel 0"),
        ChannelCodec.decode(ChannelProtocol.BASE64, text("0!!!")));
  }

  @Test
  void unknownChannelsAreProtocolErrors() {
    assertEquals(
        new ChannelCodec.Inbound.ProtocolError(
            "frame is targeted for a reader 7 that is not valid"),
        ChannelCodec.decode(ChannelProtocol.V5, hex("07 41")));
    assertEquals(
        new ChannelCodec.Inbound.ProtocolError(
            "frame is targeted for a reader 9 that is not valid"),
        ChannelCodec.decode(ChannelProtocol.BASE64, text("9YQ==")));
  }

  @Test
  void stdinAsAPythonTextFrameDecodesLikeBinary() {
    // python's websocket-client sends 00 "py-stdin\n" in a TEXT frame; the bytes are what counts
    assertEquals(
        new ChannelCodec.Inbound.Data(0, text("py-stdin\n")),
        ChannelCodec.decode(ChannelProtocol.V4, hex("00 70792d737464696e0a")));
    assertEquals(
        new ChannelCodec.Inbound.Data(0, text("hi")),
        ChannelCodec.decode(ChannelProtocol.V4_BASE64, text("0aGk=")));
  }

  @Test
  void negotiationFollowsTheClientOrder() {
    List<ChannelProtocol> all = ChannelProtocol.SERVER_DEFAULT;
    assertEquals(
        ChannelProtocol.V5,
        ChannelProtocol.negotiate(List.of("v5.channel.k8s.io", "v4.channel.k8s.io"), all)
            .orElseThrow());
    assertEquals(
        ChannelProtocol.V4,
        ChannelProtocol.negotiate(List.of("bogus", "v4.channel.k8s.io", "v5.channel.k8s.io"), all)
            .orElseThrow());
    assertTrue(ChannelProtocol.negotiate(List.of("V5.channel.k8s.io"), all).isEmpty());
    assertTrue(
        ChannelProtocol.negotiate(List.of("v4.channel.k8s.io"), List.of(ChannelProtocol.V5))
            .isEmpty());
  }
}
