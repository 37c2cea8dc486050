package io.kubehop.streaming.spdy.frame;

import static io.kubehop.streaming.spdy.frame.SpdyConstants.MAX_LENGTH;

import io.kubehop.streaming.httpstream.HeaderBlock;
import io.vertx.core.buffer.Buffer;
import java.util.Set;

/**
 * Encodes {@link SpdyFrame}s to SPDY/3.1 bytes for one direction of one connection.
 *
 * <p>Header blocks go through one shared compression context ({@link HeaderBlockEncoder}), so
 * frames must be written to the wire in the order they were encoded. The encoder refuses what a Go
 * peer would treat as fatal: stream id 0, ping id 0, header names spdystream forbids ({@code
 * connection}, {@code host} on SYN_STREAM, …). A DATA payload above 2^24−1 bytes is split into
 * several frames, with FIN only on the last. Not thread safe.
 */
public final class SpdyFrameEncoder {

  private static final Set<String> FORBIDDEN_ON_REPLY =
      Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding");
  private static final Set<String> FORBIDDEN_ON_SYN =
      Set.of("connection", "host", "keep-alive", "proxy-connection", "transfer-encoding");

  private final HeaderBlockEncoder headerEncoder = new HeaderBlockEncoder();

  /** The wire bytes of {@code frame}. */
  public Buffer encode(SpdyFrame frame) {
    Buffer out = Buffer.buffer(frame instanceof SpdyFrame.Data d ? d.data().length() + 8 : 32);
    encode(frame, out);
    return out;
  }

  /** Appends the wire bytes of {@code frame} to {@code out}. */
  public void encode(SpdyFrame frame, Buffer out) {
    if (frame instanceof SpdyFrame.Data d) {
      encodeData(d, out);
    } else if (frame instanceof SpdyFrame.SynStream s) {
      Buffer block = block(s.headers(), FORBIDDEN_ON_SYN);
      control(out, SpdyConstants.TYPE_SYN_STREAM, s.flags(), 10 + block.length())
          .appendInt(streamId(s.streamId()))
          .appendInt(s.associatedStreamId() & SpdyConstants.MAX_STREAM_ID)
          .appendByte((byte) ((s.priority() & 0x7) << 5))
          .appendByte((byte) 0)
          .appendBuffer(block);
    } else if (frame instanceof SpdyFrame.SynReply r) {
      Buffer block = block(r.headers(), FORBIDDEN_ON_REPLY);
      control(out, SpdyConstants.TYPE_SYN_REPLY, r.flags(), 4 + block.length())
          .appendInt(streamId(r.streamId()))
          .appendBuffer(block);
    } else if (frame instanceof SpdyFrame.Headers h) {
      Buffer block =
          block(h.headers(), h.streamId() % 2 == 0 ? FORBIDDEN_ON_SYN : FORBIDDEN_ON_REPLY);
      control(out, SpdyConstants.TYPE_HEADERS, h.flags(), 4 + block.length())
          .appendInt(streamId(h.streamId()))
          .appendBuffer(block);
    } else if (frame instanceof SpdyFrame.RstStream r) {
      control(out, SpdyConstants.TYPE_RST_STREAM, 0, 8)
          .appendInt(streamId(r.streamId()))
          .appendInt(r.status().code());
    } else if (frame instanceof SpdyFrame.Settings s) {
      control(out, SpdyConstants.TYPE_SETTINGS, s.flags(), 4 + 8 * s.entries().size())
          .appendInt(s.entries().size());
      for (SpdyFrame.Setting e : s.entries()) {
        out.appendByte((byte) e.flags()).appendMedium(e.id()).appendInt(e.value());
      }
    } else if (frame instanceof SpdyFrame.Ping p) {
      control(out, SpdyConstants.TYPE_PING, 0, 4).appendInt(nonZero(p.id(), "ping id"));
    } else if (frame instanceof SpdyFrame.GoAway g) {
      control(out, SpdyConstants.TYPE_GOAWAY, 0, 8)
          .appendInt(g.lastGoodStreamId() & SpdyConstants.MAX_STREAM_ID)
          .appendInt(g.status().code());
    } else if (frame instanceof SpdyFrame.WindowUpdate w) {
      control(out, SpdyConstants.TYPE_WINDOW_UPDATE, 0, 8)
          .appendInt(w.streamId() & SpdyConstants.MAX_STREAM_ID)
          .appendInt(w.deltaWindowSize() & SpdyConstants.MAX_STREAM_ID);
    }
  }

  /**
   * The wire bytes of a DATA frame. DATA is never header-compressed, so this needs no encoder and
   * no zlib context: a tier that only relays a connection, and never saw its compression state, can
   * still add one to it between two frames.
   */
  public static Buffer encodeData(SpdyFrame.Data frame) {
    Buffer out = Buffer.buffer(frame.data().length() + SpdyConstants.HEADER_SIZE);
    encodeData(frame, out);
    return out;
  }

  /**
   * The 8-byte header of a DATA frame that carries all of {@code frame}'s payload (at most {@link
   * SpdyConstants#MAX_LENGTH} bytes): written ahead of the payload buffer itself, it spares a copy
   * of the payload into one frame buffer.
   */
  public static Buffer dataHeader(SpdyFrame.Data frame) {
    int length = frame.data().length();
    if (length > MAX_LENGTH) {
      throw new IllegalArgumentException("DATA payload too large for one frame: " + length);
    }
    return Buffer.buffer(SpdyConstants.HEADER_SIZE)
        .appendInt(streamId(frame.streamId()))
        .appendByte((byte) (frame.fin() ? SpdyConstants.FLAG_FIN : 0))
        .appendMedium(length);
  }

  /** Releases the native zlib state. */
  public void close() {
    headerEncoder.close();
  }

  private static void encodeData(SpdyFrame.Data d, Buffer out) {
    int id = streamId(d.streamId());
    Buffer data = d.data();
    int length = data.length();
    int pos = 0;
    do {
      int n = Math.min(MAX_LENGTH, length - pos);
      boolean last = pos + n == length;
      out.appendInt(id)
          .appendByte((byte) (last && d.fin() ? SpdyConstants.FLAG_FIN : 0))
          .appendMedium(n);
      out.appendBuffer(data, pos, n);
      pos += n;
    } while (pos < length);
  }

  private static Buffer control(Buffer out, int type, int flags, int length) {
    if (length > MAX_LENGTH) {
      throw new IllegalArgumentException("control frame too large: " + length);
    }
    return out.appendShort((short) (0x8000 | SpdyConstants.VERSION))
        .appendShort((short) type)
        .appendByte((byte) flags)
        .appendMedium(length);
  }

  private Buffer block(HeaderBlock headers, Set<String> forbidden) {
    for (String name : headers.asMap().keySet()) {
      if (forbidden.contains(name)) {
        throw new IllegalArgumentException("header " + name + " is not allowed in this frame");
      }
    }
    return headerEncoder.encode(headers);
  }

  private static int streamId(int id) {
    if (id <= 0) {
      throw new IllegalArgumentException("stream id zero is disallowed");
    }
    return id;
  }

  private static int nonZero(int id, String what) {
    if (id == 0) {
      throw new IllegalArgumentException(what + " zero is disallowed");
    }
    return id;
  }
}
