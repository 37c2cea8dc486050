package io.kubehop.streaming.spdy.frame;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * A SYN_STREAM's compressed header block, any bytes: headers, or a {@link SpdyProtocolException}
 * (bad zlib, a wrong dictionary, a block that inflates past its bound, a malformed name/value
 * list), never another exception and never unbounded memory (a zlib bomb stops at {@value
 * HeaderBlockDecoder#MAX_DECOMPRESSED} bytes). Seed: kubectl's first block.
 */
class HeaderBlockDecoderFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void anyBlockIsHeadersOrAProtocolError(byte[] compressed) {
    HeaderBlockDecoder decoder = new HeaderBlockDecoder();
    try {
      decoder.decode(compressed, 1);
    } catch (SpdyProtocolException expected) {
      // refused cleanly
    } finally {
      decoder.close();
    }
  }
}
