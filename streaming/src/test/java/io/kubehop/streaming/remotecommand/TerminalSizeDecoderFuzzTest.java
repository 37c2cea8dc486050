package io.kubehop.streaming.remotecommand;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * The resize stream, any bytes in pieces: sizes, or an {@link IOException} saying it is malformed
 * (the session then ends with a clear error), never another exception. Seed: two sizes as kubectl
 * sends them.
 */
class TerminalSizeDecoderFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void anyBytesAreSizesOrAMalformedError(byte[] bytes) {
    TerminalSizeDecoder decoder = new TerminalSizeDecoder(size -> {});
    try {
      for (int at = 0; at < bytes.length; at += 7) {
        decoder.decode(
            Buffer.buffer(java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 7))));
      }
    } catch (IOException malformed) {
      // refused cleanly
    }
  }
}
