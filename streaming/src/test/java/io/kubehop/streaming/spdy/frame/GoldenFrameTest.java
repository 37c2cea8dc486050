package io.kubehop.streaming.spdy.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubehop.streaming.httpstream.HeaderBlock;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real kubectl frames against the decoder, and kubehop's encoder against Go's bytes
 * (docs/wire-captures.md: golden/spdy/kubectl-exec.hex, §4.1).
 */
class GoldenFrameTest {

  private static final Map<String, Buffer> GOLDEN = Golden.load("kubectl-exec.hex");
  private final FrameRecorder client = new FrameRecorder();
  private final FrameRecorder server = new FrameRecorder();

  @AfterEach
  void exhausted() {
    client.assertExhausted();
    server.assertExhausted();
  }

  @Test
  void decodesKubectlSynStreamsSharingOneZlibContext() {
    SpdyFrameDecoder decoder = new SpdyFrameDecoder(client);
    decoder.decode(GOLDEN.get("syn-stream-error"));
    decoder.decode(GOLDEN.get("syn-stream-stdout"));
    assertEquals(
        new SpdyFrame.SynStream(1, 0, 0, 0, HeaderBlock.of("streamtype", "error")),
        client.next(SpdyFrame.SynStream.class));
    assertEquals(
        new SpdyFrame.SynStream(3, 0, 0, 0, HeaderBlock.of("streamtype", "stdout")),
        client.next(SpdyFrame.SynStream.class));
  }

  @Test
  void decodesGoServerSynRepliesWithEmptyBlocks() {
    SpdyFrameDecoder decoder = new SpdyFrameDecoder(server);
    decoder.decode(GOLDEN.get("syn-reply-1").copy().appendBuffer(GOLDEN.get("syn-reply-3")));
    assertEquals(
        new SpdyFrame.SynReply(1, 0, HeaderBlock.EMPTY), server.next(SpdyFrame.SynReply.class));
    assertEquals(
        new SpdyFrame.SynReply(3, 0, HeaderBlock.EMPTY), server.next(SpdyFrame.SynReply.class));
  }

  @Test
  void encoderReproducesGoServerSynRepliesByteForByte() {
    SpdyFrameEncoder encoder = new SpdyFrameEncoder();
    assertEquals(
        Golden.hex(GOLDEN.get("syn-reply-1")),
        Golden.hex(encoder.encode(new SpdyFrame.SynReply(1, 0, HeaderBlock.EMPTY))));
    assertEquals(
        Golden.hex(GOLDEN.get("syn-reply-3")),
        Golden.hex(encoder.encode(new SpdyFrame.SynReply(3, 0, HeaderBlock.EMPTY))));
  }

  /**
   * Go's compress/flate picks different matches than zlib for non-empty blocks, so kubehop's
   * SYN_STREAMs are not byte-identical to kubectl's; they are standard zlib with the SPDY
   * dictionary, sharing one context, which is what Go's reader needs. Decoding them with a fresh
   * decoder (the same Inflater recipe that reads Go's bytes) proves it.
   */
  @Test
  void encodedSynStreamsStartLikeGoAndDecodeInOneContext() {
    SpdyFrameEncoder encoder = new SpdyFrameEncoder();
    Buffer first = encoder.encode(SpdyFrame.SynStream.of(1, HeaderBlock.of("streamtype", "error")));
    Buffer second =
        encoder.encode(SpdyFrame.SynStream.of(3, HeaderBlock.of("streamType", "stdout")));
    assertEquals(
        Golden.hex(GOLDEN.get("syn-stream-error").getBuffer(0, 4 + 4 + 10 + 6)).substring(16),
        Golden.hex(first.getBuffer(0, 24)).substring(16),
        "header after the length, and zlib 78f9 + dictionary id");
    assertEquals("0000ffff", Golden.hex(second.getBuffer(second.length() - 4, second.length())));
    SpdyFrameDecoder decoder = new SpdyFrameDecoder(client);
    decoder.decode(first.copy().appendBuffer(second));
    assertEquals(
        SpdyFrame.SynStream.of(1, HeaderBlock.of("streamtype", "error")),
        client.next(SpdyFrame.SynStream.class));
    assertEquals(
        SpdyFrame.SynStream.of(3, HeaderBlock.of("streamtype", "stdout")),
        client.next(SpdyFrame.SynStream.class));
  }

  @Test
  void byteAtATimeDecodingGivesTheSameFrames() {
    SpdyFrameDecoder decoder = new SpdyFrameDecoder(client);
    Buffer all =
        GOLDEN.get("syn-stream-error").copy().appendBuffer(GOLDEN.get("syn-stream-stdout"));
    for (int i = 0; i < all.length(); i++) {
      decoder.decode(all.getBuffer(i, i + 1));
    }
    assertEquals(
        HeaderBlock.of("streamtype", "error"), client.next(SpdyFrame.SynStream.class).headers());
    assertEquals(
        HeaderBlock.of("streamtype", "stdout"), client.next(SpdyFrame.SynStream.class).headers());
  }
}
