package io.kubehop.streaming.spdy.frame;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The SPDY/3.1 decoder on any bytes, cut into pieces anywhere: it reports frames, or one protocol
 * error after which nothing follows, and never throws, whatever a peer sends (the tier must stay up
 * and answer with a GOAWAY or a reset). Seeds: kubectl's captured frames ({@code
 * golden/spdy/kubectl-exec.hex}, each direction). Fuzz longer: {@code bench/fuzz.sh}.
 */
class SpdyFrameDecoderFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void anyBytesAreFramesOrOneErrorNeverAnException(byte[] bytes) {
    List<Object> events = new ArrayList<>();
    SpdyFrameDecoder decoder =
        new SpdyFrameDecoder(
            new SpdyFrameDecoder.Listener() {
              @Override
              public void onFrame(SpdyFrame frame) {
                events.add(frame);
              }

              @Override
              public void onFrameError(SpdyProtocolException error) {
                events.add(error);
              }
            });
    // Pieces of 1, 2, 3 … bytes: every frame boundary and header field gets cut somewhere.
    int at = 0;
    for (int size = 1; at < bytes.length; size = size % 97 + 1) {
      int n = Math.min(size, bytes.length - at);
      decoder.decode(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, at, at + n)));
      at += n;
    }
    decoder.close();
    long errors = events.stream().filter(e -> e instanceof SpdyProtocolException).count();
    assertTrue(errors <= 1, "one error at most: " + events);
    if (errors == 1) {
      assertTrue(
          events.get(events.size() - 1) instanceof SpdyProtocolException,
          "nothing after the error: " + events);
    }
  }
}
