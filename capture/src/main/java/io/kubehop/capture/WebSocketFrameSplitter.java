package io.kubehop.capture;

import java.util.Locale;

/**
 * RFC 6455 frames:
 *
 * <pre>
 * +-+-+-+-+-------+-+-------------+-------------------------------+-----------------------+
 * |F|R|R|R| opcode|M| length (7)  | extended length (16 or 64 bit,| masking key (32 bit,  |
 * |I|S|S|S|  (4)  |A| 126: 16 bit | only if length is 126 or 127) | only if MASK is set)  |
 * |N|V|V|V|       |S| 127: 64 bit |                               |                       |
 * +-+-+-+-+-------+-+-------------+-------------------------------+-----------------------+
 * </pre>
 *
 * <p>Clients mask every frame, servers none. A line holds the unmasked payload, not the frame: the
 * header and the mask key differ on every run, the payload is what the protocol defines. Labels:
 * the opcode ({@code binary}, {@code text}, {@code close}, {@code ping}, {@code pong}, {@code
 * continuation}); for a data frame of a channel protocol the channel its first byte names ({@code
 * binary-stdout}, {@code text-stdin}; {@code ch7} outside exec/attach); for {@code
 * v5.channel.k8s.io} the close signal {@code ff <channel>} as {@code binary-close-stdin}; {@code
 * -nofin} when FIN is clear. SPDY tunnelled in WebSocket ({@code SPDY/3.1+portforward.k8s.io}) has
 * no channels, so its messages are just {@code binary}.
 */
final class WebSocketFrameSplitter extends FrameSplitter {

  /**
   * The remotecommand channels of {@code channel.k8s.io} … {@code v5.channel.k8s.io}, by number.
   */
  private static final String[] REMOTE_COMMAND_CHANNELS = {
    "stdin", "stdout", "stderr", "error", "resize"
  };

  private static final int V5_CLOSE = 0xff;
  private static final int MAX_FRAME = Integer.MAX_VALUE - 16;

  private final boolean channels;
  private final boolean base64;
  private final boolean closeSignal;
  private final boolean remoteCommand;

  /**
   * @param subprotocol the {@code Sec-WebSocket-Protocol} the server chose ({@code ""} if none)
   * @param path the request path, which tells remotecommand channels from port-forward ones
   */
  WebSocketFrameSplitter(String subprotocol, String path) {
    String p = subprotocol.toLowerCase(Locale.ROOT);
    this.channels = !p.startsWith("spdy/");
    this.base64 = p.contains("base64");
    this.closeSignal = p.equals("v5.channel.k8s.io");
    this.remoteCommand = path.endsWith("/exec") || path.endsWith("/attach");
  }

  @Override
  int frameSize(byte[] b, int start, int available) {
    if (available < 2) {
      return -1;
    }
    int header = headerSize(b, start);
    if (available < header) {
      return -1;
    }
    long payload = payloadLength(b, start);
    if (payload > MAX_FRAME - header) {
      throw new IllegalStateException(
          "a WebSocket frame of " + payload + " bytes is too large to record");
    }
    return (int) (header + payload);
  }

  @Override
  CapturedFrame frame(byte[] b, int start, int size) {
    int header = headerSize(b, start);
    byte[] payload = new byte[size - header];
    System.arraycopy(b, start + header, payload, 0, payload.length);
    if ((b[start + 1] & 0x80) != 0) {
      int key = start + header - 4;
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= b[key + (i & 3)];
      }
    }
    boolean fin = (b[start] & 0x80) != 0;
    return new CapturedFrame(
        label(b[start] & 0x0f, payload) + (fin ? "" : "-nofin"), HEX.formatHex(payload));
  }

  private static int headerSize(byte[] b, int start) {
    int length7 = b[start + 1] & 0x7f;
    int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
    return 2 + extended + ((b[start + 1] & 0x80) != 0 ? 4 : 0);
  }

  private static long payloadLength(byte[] b, int start) {
    int length7 = b[start + 1] & 0x7f;
    if (length7 == 126) {
      return u16(b, start + 2);
    }
    if (length7 == 127) {
      return (long) i32(b, start + 2) << 32 | (i32(b, start + 6) & 0xffffffffL);
    }
    return length7;
  }

  private String label(int opcode, byte[] payload) {
    String name =
        switch (opcode) {
          case 0 -> "continuation";
          case 1 -> "text";
          case 2 -> "binary";
          case 8 -> "close";
          case 9 -> "ping";
          case 10 -> "pong";
          default -> "opcode-" + opcode;
        };
    boolean data = opcode == 1 || opcode == 2;
    return data && channels && payload.length > 0 ? name + "-" + channel(payload) : name;
  }

  private String channel(byte[] payload) {
    // base64 protocols send the channel as the ASCII digit '0' + n; the binary ones as a byte.
    int channel = base64 ? payload[0] - '0' : payload[0] & 0xff;
    if (closeSignal && channel == V5_CLOSE && payload.length == 2) {
      return "close-" + channelName(payload[1] & 0xff);
    }
    return channelName(channel);
  }

  private String channelName(int channel) {
    return remoteCommand && channel >= 0 && channel < REMOTE_COMMAND_CHANNELS.length
        ? REMOTE_COMMAND_CHANNELS[channel]
        : "ch" + channel;
  }
}
