package io.kubehop.streaming.websocket;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Pure encoder and decoder of channel messages (apimachinery {@code wsstream/conn.go}). Binary
 * protocols: one byte channel + payload, sent as a binary message. Base64 protocols: {@code
 * '0'+channel} + padded standard base64 of the payload, sent as a text message. Received messages
 * may be text or binary in either family (python's client sends stdin as text frames).
 *
 * <pre>
 * binary  stdout "hi\n"   → 01 68 69 0a               (binary message)
 * base64  stdout "hi\n"   → "1aGkK"                   (text message)
 * v5      stdin closed    → ff 00                     (binary message, exactly two bytes)
 * initial empty message   → 01   /   "1"              (lowest writable channel)
 * </pre>
 */
public final class ChannelCodec {

  private ChannelCodec() {
    throw new AssertionError("No instances.");
  }

  /** One message to send: its bytes, and whether it goes as a text message. */
  public record Outbound(boolean text, Buffer bytes) {}

  /** What a received message means. */
  public sealed interface Inbound {
    /** Payload for {@code channel} (may be empty). */
    record Data(int channel, Buffer payload) implements Inbound {}

    /** v5 CLOSE: the peer will send nothing more on {@code channel}. */
    record Close(int channel) implements Inbound {}

    /**
     * Dropped, as upstream does (empty message, unknown channel, bad base64); {@code reason} is for
     * logs.
     */
    record Ignored(String reason) implements Inbound {}

    /** A protocol violation that ends the connection (a malformed v5 CLOSE signal). */
    record ProtocolError(String reason) implements Inbound {}
  }

  /** The message carrying {@code payload} on {@code channel}. */
  public static Outbound encode(ChannelProtocol protocol, int channel, Buffer payload) {
    if (protocol.base64()) {
      String text = (char) ('0' + channel) + Base64.getEncoder().encodeToString(payload.getBytes());
      return new Outbound(true, Buffer.buffer(text.getBytes(StandardCharsets.US_ASCII)));
    }
    return new Outbound(
        false,
        Buffer.buffer(payload.length() + 1).appendByte((byte) channel).appendBuffer(payload));
  }

  /** The empty message on {@code channel} a server sends right after the handshake. */
  public static Outbound initial(ChannelProtocol protocol, int channel) {
    return encode(protocol, channel, Buffer.buffer());
  }

  /** The v5 CLOSE signal for {@code channel}: binary {@code ff <channel>}. */
  public static Outbound closeSignal(int channel) {
    return new Outbound(false, Buffer.buffer(new byte[] {(byte) Channels.CLOSE, (byte) channel}));
  }

  /**
   * Decodes one whole received message (text or binary frames alike); binary data is a slice of
   * {@code message} (no copy), which the caller hands over.
   */
  public static Inbound decode(ChannelProtocol protocol, Buffer message) {
    if (message.length() == 0) {
      return new Inbound.Ignored("empty message");
    }
    int first = message.getUnsignedByte(0);
    // The CLOSE check runs before channel decoding, and only when v5 was negotiated (wsstream
    // conn.go handle).
    if (protocol.closeSignal() && first == Channels.CLOSE) {
      if (message.length() != 2) {
        return new Inbound.ProtocolError("invalid close signal: " + message.length() + " bytes");
      }
      int channel = message.getUnsignedByte(1);
      if (channel >= Channels.COUNT) {
        return new Inbound.ProtocolError("close signal for unknown channel " + channel);
      }
      return new Inbound.Close(channel);
    }
    if (protocol.base64()) {
      int channel = first - '0';
      if (channel < 0 || channel >= Channels.COUNT) {
        return new Inbound.ProtocolError(
            "frame is targeted for a reader " + channel + " that is not valid");
      }
      try {
        byte[] payload = Base64.getDecoder().decode(message.getBytes(1, message.length()));
        return new Inbound.Data(channel, Buffer.buffer(payload));
      } catch (IllegalArgumentException e) {
        return new Inbound.Ignored("invalid base64 on channel " + channel);
      }
    }
    if (first >= Channels.COUNT) {
      return new Inbound.ProtocolError(
          "frame is targeted for a reader " + first + " that is not valid");
    }
    return new Inbound.Data(first, message.slice(1, message.length()));
  }
}
