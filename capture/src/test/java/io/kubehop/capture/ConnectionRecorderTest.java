package io.kubehop.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the recorder makes of a connection, fed as the proxy feeds it: heads, then frames, in
 * arbitrary pieces.
 */
class ConnectionRecorderTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final GoldenLines GOLDEN = GoldenLines.golden("spdy/kubectl-exec.hex");
  private static final GoldenLines GOLDEN_WS = GoldenLines.golden("ws/kubectl-exec-v5.hex");
  private static final String SPDY_REQUEST =
      "POST /api/v1/namespaces/default/pods/demo/exec?command=echo&command=hi"
          + "&container=main&stderr=true&stdout=true HTTP/1.1\r\nHost: 127.0.0.1:16443\r\n"
          + "User-Agent: kubectl.1.33/v1.33.1 (linux/amd64) kubernetes/8adc0f0\r\nContent-Length: 0\r\n"
          + "Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v5.channel.k8s.io\r\n"
          + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n";
  private static final String SPDY_101 =
      "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
          + "Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v5.channel.k8s.io\r\n\r\n";

  @TempDir Path out;
  private final List<String> log = new ArrayList<>();
  private int files;

  private ConnectionRecorder recorder() {
    return new ConnectionRecorder(
        (kind, verb) -> out.resolve(kind).resolve(++files + "-" + verb + ".hex"), log::add);
  }

  @Test
  void spdyExecBecomesAGoldenFile() throws Exception {
    ConnectionRecorder r = recorder();
    byte[] request = SPDY_REQUEST.getBytes(StandardCharsets.ISO_8859_1);
    r.onBytes(Direction.CLIENT_TO_SERVER, request, 0, 40); // the head arrives in pieces
    r.onBytes(Direction.CLIENT_TO_SERVER, request, 40, request.length - 40);
    byte[] synStream1 = GOLDEN.named("syn-stream-error").bytes();
    // client-go waits for the 101, but frames before it must not be lost either
    r.onBytes(Direction.CLIENT_TO_SERVER, synStream1, 0, synStream1.length);
    byte[] response =
        concat(SPDY_101.getBytes(StandardCharsets.ISO_8859_1), GOLDEN.named("syn-reply-1").bytes());
    r.onBytes(
        Direction.SERVER_TO_CLIENT,
        response,
        0,
        response.length - 5); // the 101 and part of a frame
    byte[] synStream3 = GOLDEN.named("syn-stream-stdout").bytes();
    r.onBytes(Direction.CLIENT_TO_SERVER, synStream3, 0, synStream3.length);
    r.onBytes(Direction.SERVER_TO_CLIENT, response, response.length - 5, 5);
    byte[] tail = HEX.parseHex("0000000301000000" + "0000000301000000" + "800300");
    r.onBytes(Direction.CLIENT_TO_SERVER, tail, 0, tail.length);
    r.onClosed();

    Path file = out.resolve("spdy/1-exec.hex");
    assertEquals(
        List.of(
            "recording POST /api/v1/namespaces/default/pods/demo/exec (SPDY/3.1 v5.channel.k8s.io) to "
                + file,
            "wrote " + file + " (5 frames)"),
        log);
    assertEquals(
        List.of(
            "# POST /api/v1/namespaces/default/pods/demo/exec?command=echo&command=hi&container=main&stderr=true"
                + "&stdout=true",
            "# User-Agent: kubectl.1.33/v1.33.1 (linux/amd64) kubernetes/8adc0f0",
            "# Upgrade: SPDY/3.1, offered: v5.channel.k8s.io, v4.channel.k8s.io",
            "# HTTP/1.1 101 Switching Protocols, X-Stream-Protocol-Version: v5.channel.k8s.io",
            "# Recorded by bin/capture-wire; docs/wire-captures.md says how to read and recapture it.",
            "# One frame per line: direction, label, the whole frame in hex (8-byte header included). C>S header blocks"
                + " share the client's zlib context, S>C the server's.",
            "C>S syn-stream-1 " + GOLDEN.named("syn-stream-error").hex(),
            "C>S syn-stream-3 " + GOLDEN.named("syn-stream-stdout").hex(),
            "S>C syn-reply-1 " + GOLDEN.named("syn-reply-1").hex(),
            "C>S data-3-fin 0000000301000000",
            "C>S data-3-fin.2 0000000301000000",
            "# C>S ended inside a frame, 3 bytes: 800300"),
        Files.readAllLines(file));
    // and the golden loader reads what the tool writes
    assertEquals(5, GoldenLines.read(file).lines().size());
  }

  @Test
  void webSocketMessagesAreRecordedUnmasked() throws Exception {
    ConnectionRecorder r = recorder();
    byte[] request =
        ("GET /api/v1/namespaces/default/pods/demo/exec?command=cat&container=main&stdin=true"
                + "&stdout=true HTTP/1.1\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Protocol: v5.channel.k8s.io\r\nSec-WebSocket-Version: 13\r\nUpgrade: websocket\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    byte[] response =
        ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    r.onBytes(Direction.CLIENT_TO_SERVER, request, 0, request.length);
    byte[] initial =
        concat(response, WebSocketFrameSplitterTest.frame(0x82, HEX.parseHex("01"), false));
    r.onBytes(Direction.SERVER_TO_CLIENT, initial, 0, initial.length);
    byte[] stdin =
        WebSocketFrameSplitterTest.frame(0x82, GOLDEN_WS.named("stdin-hello").bytes(), true);
    r.onBytes(Direction.CLIENT_TO_SERVER, stdin, 0, stdin.length);
    r.onClosed();
    assertEquals(
        List.of("S>C binary-stdout 01", "C>S binary-stdin " + GOLDEN_WS.named("stdin-hello").hex()),
        frameLines(out.resolve("ws/1-exec.hex")));
  }

  /**
   * kubectl 1.31+ port-forward: SPDY in WebSocket messages that cut frames anywhere, written as
   * whole SPDY frames.
   */
  @Test
  void spdyTunnelledInWebSocketIsWrittenAsSpdyFrames() throws Exception {
    ConnectionRecorder r = recorder();
    byte[] request =
        ("GET /api/v1/namespaces/default/pods/demo/portforward HTTP/1.1\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io\r\nUpgrade: websocket\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    byte[] response =
        ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    r.onBytes(Direction.CLIENT_TO_SERVER, request, 0, request.length);
    r.onBytes(Direction.SERVER_TO_CLIENT, response, 0, response.length);
    byte[] synStream = GOLDEN.named("syn-stream-error").bytes();
    int[] cuts = {
      0, 2, 4, 8, 12, 16, 17, 18, synStream.length
    }; // as kubectl 1.33 writes a SYN_STREAM
    for (int i = 0; i + 1 < cuts.length; i++) {
      byte[] message =
          WebSocketFrameSplitterTest.frame(
              0x82, Arrays.copyOfRange(synStream, cuts[i], cuts[i + 1]), true);
      r.onBytes(Direction.CLIENT_TO_SERVER, message, 0, message.length);
    }
    byte[] reply =
        WebSocketFrameSplitterTest.frame(0x82, GOLDEN.named("syn-reply-1").bytes(), false);
    r.onBytes(Direction.SERVER_TO_CLIENT, reply, 0, reply.length);
    byte[] partial = WebSocketFrameSplitterTest.frame(0x82, HEX.parseHex("0000000101"), true);
    r.onBytes(Direction.CLIENT_TO_SERVER, partial, 0, partial.length);
    byte[] close = WebSocketFrameSplitterTest.frame(0x88, HEX.parseHex("03e8"), false);
    r.onBytes(Direction.SERVER_TO_CLIENT, close, 0, close.length);
    r.onClosed();
    Path file = out.resolve("ws/1-portforward.hex");
    assertEquals(
        List.of(
            "C>S syn-stream-1 " + GOLDEN.named("syn-stream-error").hex(),
            "S>C syn-reply-1 " + GOLDEN.named("syn-reply-1").hex(),
            "S>C close 03e8",
            "# C>S ended inside a frame, 5 bytes: 0000000101"),
        frameLines(file));
  }

  @Test
  void plainRequestsPassUnrecorded() {
    ConnectionRecorder r = recorder();
    byte[] get =
        "GET /api?timeout=32s HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] ok =
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".getBytes(StandardCharsets.ISO_8859_1);
    r.onBytes(Direction.CLIENT_TO_SERVER, get, 0, get.length);
    r.onBytes(Direction.SERVER_TO_CLIENT, ok, 0, ok.length);
    r.onBytes(Direction.CLIENT_TO_SERVER, get, 0, get.length);
    r.onClosed();
    assertEquals(List.of(), log);
    assertEquals(0, files);
  }

  @Test
  void anEmptyHeadIsNoUpgrade() {
    ConnectionRecorder r = recorder();
    byte[] empty = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    r.onBytes(Direction.CLIENT_TO_SERVER, empty, 0, empty.length);
    r.onClosed();
    assertEquals(List.of(), log);
    assertEquals(0, files);
  }

  @Test
  void aRefusedUpgradeIsLoggedAndNotRecorded() {
    ConnectionRecorder r = recorder();
    byte[] request = SPDY_REQUEST.getBytes(StandardCharsets.ISO_8859_1);
    byte[] refused =
        "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    r.onBytes(Direction.CLIENT_TO_SERVER, request, 0, request.length);
    r.onBytes(Direction.SERVER_TO_CLIENT, refused, 0, refused.length);
    r.onClosed();
    assertEquals(
        List.of(
            "POST /api/v1/namespaces/default/pods/demo/exec: HTTP/1.1 403 Forbidden, not recorded"),
        log);
    assertEquals(0, files);
  }

  /** The lines after the head comments. */
  static List<String> frameLines(Path file) throws Exception {
    List<String> lines = Files.readAllLines(file);
    int first = 0;
    while (first < lines.size() && lines.get(first).startsWith("#")) {
      first++;
    }
    return lines.subList(first, lines.size());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
