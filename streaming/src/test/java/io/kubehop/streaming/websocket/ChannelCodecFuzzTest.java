package io.kubehop.streaming.websocket;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;

/**
 * One received channel.k8s.io message, any bytes, under every subprotocol (binary, base64, v5's
 * close signal): always an outcome (data, close, ignored, protocol error), never an exception.
 * Seeds: kubectl's captured v5 messages.
 */
class ChannelCodecFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void anyMessageDecodesToAnOutcome(byte[] message) {
    for (ChannelProtocol protocol : ChannelProtocol.values()) {
      assertNotNull(ChannelCodec.decode(protocol, Buffer.buffer(message)));
    }
  }
}
