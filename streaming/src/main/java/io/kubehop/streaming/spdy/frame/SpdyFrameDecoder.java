package io.kubehop.streaming.spdy.frame;

import static io.kubehop.streaming.spdy.frame.SpdyConstants.FLAG_FIN;
import static io.kubehop.streaming.spdy.frame.SpdyConstants.HEADER_SIZE;

import io.kubehop.streaming.httpstream.HeaderBlock;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * An incremental SPDY/3.1 decoder: {@link #decode(Buffer)} accepts any split of the byte stream
 * (one byte at a time, or many frames at once) and pushes each complete frame to a {@link
 * Listener}.
 *
 * <p>Control frames are buffered whole (up to {@link #MAX_CONTROL_FRAME}); DATA payloads are never
 * buffered: each arriving piece is delivered at once as a {@link SpdyFrame.Data}, so a 16 MiB frame
 * costs no 16 MiB buffer. Header blocks share one decompression context ({@link
 * HeaderBlockDecoder}) for the whole connection.
 *
 * <p>Errors are events, not exceptions: the first violation is reported through {@link
 * Listener#onFrameError(SpdyProtocolException)} and the decoder then ignores all further input (the
 * stream is out of sync; spdystream also ends its read loop). <b>Unknown control frame types</b>
 * (NOOP, CREDENTIAL, …) are skipped silently, as SPDY/3.1 requires; spdystream would die on them,
 * but kubehop never sends them, and skipping keeps a kubehop peer robust against any other SPDY
 * implementation. The control-frame version is not checked, matching spdystream. Not thread safe:
 * one decoder per connection, used on the connection's context.
 */
public final class SpdyFrameDecoder {

  /** Receives decoded frames in wire order. */
  public interface Listener {
    void onFrame(SpdyFrame frame);

    /** The stream is corrupt or violates the protocol; no further events follow. */
    void onFrameError(SpdyProtocolException error);
  }

  /** Largest control frame accepted; Kubernetes' are tens of bytes. */
  public static final int MAX_CONTROL_FRAME = 1024 * 1024;

  private enum State {
    HEADER,
    CONTROL_BODY,
    DATA_PAYLOAD,
    SKIP,
    FAILED
  }

  private final Listener listener;
  private final HeaderBlockDecoder headerDecoder = new HeaderBlockDecoder();
  private State state = State.HEADER;
  private Buffer pending = Buffer.buffer();
  private int type;
  private int flags;
  private int streamId;
  private int remaining;

  public SpdyFrameDecoder(Listener listener) {
    this.listener = listener;
  }

  /**
   * Consumes {@code bytes}, which the caller hands over: DATA payloads are slices of it (no copy of
   * the bulk bytes), so the caller must not write to it afterwards. Vert.x delivers every read as a
   * buffer of its own, which is what makes the hand-over free.
   */
  public void decode(Buffer bytes) {
    if (state == State.FAILED) {
      return;
    }
    Buffer in;
    if (pending.length() == 0) {
      in = bytes;
    } else {
      in = pending.appendBuffer(bytes);
    }
    int pos = 0;
    List<SpdyFrame> out = new ArrayList<>(4);
    try {
      pos = process(in, pos, out);
    } catch (SpdyProtocolException e) {
      deliver(out);
      fail(e);
      return;
    }
    pending = pos == in.length() ? Buffer.buffer() : in.getBuffer(pos, in.length());
    deliver(out);
  }

  /** Releases the zlib state; call when the connection is gone. */
  public void close() {
    state = State.FAILED;
    headerDecoder.close();
  }

  private void deliver(List<SpdyFrame> frames) {
    for (SpdyFrame f : frames) {
      listener.onFrame(f);
    }
  }

  private void fail(SpdyProtocolException e) {
    state = State.FAILED;
    pending = Buffer.buffer();
    listener.onFrameError(e);
  }

  private int process(Buffer in, int pos, List<SpdyFrame> out) throws SpdyProtocolException {
    while (true) {
      int available = in.length() - pos;
      switch (state) {
        case HEADER -> {
          if (available < HEADER_SIZE) {
            return pos;
          }
          readHeader(in, pos, out);
          pos += HEADER_SIZE;
        }
        case CONTROL_BODY -> {
          if (available < remaining) {
            return pos;
          }
          out.add(readControlFrame(in.getBuffer(pos, pos + remaining)));
          pos += remaining;
          state = State.HEADER;
        }
        case DATA_PAYLOAD -> {
          if (available == 0) {
            return pos;
          }
          int n = Math.min(available, remaining);
          remaining -= n;
          boolean last = remaining == 0;
          out.add(
              new SpdyFrame.Data(
                  streamId, last && (flags & FLAG_FIN) != 0, in.slice(pos, pos + n)));
          pos += n;
          if (last) {
            state = State.HEADER;
          }
        }
        case SKIP -> {
          int n = Math.min(available, remaining);
          remaining -= n;
          pos += n;
          if (remaining > 0) {
            return pos;
          }
          state = State.HEADER;
        }
        default -> {
          return in.length();
        }
      }
    }
  }

  private void readHeader(Buffer in, int pos, List<SpdyFrame> out) throws SpdyProtocolException {
    int first = in.getInt(pos);
    flags = in.getUnsignedByte(pos + 4);
    remaining = in.getUnsignedMedium(pos + 5);
    if (first < 0) { // control bit set
      type = first & 0xFFFF;
      streamId = 0;
      if (!isKnownType(type)) {
        state = remaining == 0 ? State.HEADER : State.SKIP;
        return;
      }
      if (remaining > MAX_CONTROL_FRAME) {
        throw new SpdyProtocolException("control frame too large: " + remaining + " bytes", 0);
      }
      checkControlLength(type, remaining);
      state = State.CONTROL_BODY;
      return;
    }
    streamId = first;
    if (streamId == 0) {
      throw new SpdyProtocolException("stream id zero is disallowed", 0);
    }
    if (remaining == 0) {
      out.add(new SpdyFrame.Data(streamId, (flags & FLAG_FIN) != 0, Buffer.buffer()));
      state = State.HEADER;
    } else {
      state = State.DATA_PAYLOAD;
    }
  }

  private static boolean isKnownType(int type) {
    return switch (type) {
      case SpdyConstants.TYPE_SYN_STREAM,
          SpdyConstants.TYPE_SYN_REPLY,
          SpdyConstants.TYPE_RST_STREAM,
          SpdyConstants.TYPE_SETTINGS,
          SpdyConstants.TYPE_PING,
          SpdyConstants.TYPE_GOAWAY,
          SpdyConstants.TYPE_HEADERS,
          SpdyConstants.TYPE_WINDOW_UPDATE ->
          true;
      default -> false;
    };
  }

  private static void checkControlLength(int type, int length) throws SpdyProtocolException {
    boolean ok =
        switch (type) {
          case SpdyConstants.TYPE_SYN_STREAM -> length >= 10;
          case SpdyConstants.TYPE_SYN_REPLY, SpdyConstants.TYPE_HEADERS -> length >= 4;
          case SpdyConstants.TYPE_RST_STREAM,
              SpdyConstants.TYPE_GOAWAY,
              SpdyConstants.TYPE_WINDOW_UPDATE ->
              length == 8;
          case SpdyConstants.TYPE_PING -> length == 4;
          case SpdyConstants.TYPE_SETTINGS -> length >= 4 && (length - 4) % 8 == 0;
          default -> true;
        };
    if (!ok) {
      throw new SpdyProtocolException(
          "invalid length " + length + " for control frame type " + type, 0);
    }
  }

  private SpdyFrame readControlFrame(Buffer body) throws SpdyProtocolException {
    return switch (type) {
      case SpdyConstants.TYPE_SYN_STREAM -> {
        int id = nonZeroStreamId(body.getInt(0));
        int associated = body.getInt(4) & SpdyConstants.MAX_STREAM_ID;
        int priority = body.getUnsignedByte(8) >> 5;
        yield new SpdyFrame.SynStream(id, associated, priority, flags, headers(body, 10, id));
      }
      case SpdyConstants.TYPE_SYN_REPLY -> {
        int id = nonZeroStreamId(body.getInt(0));
        yield new SpdyFrame.SynReply(id, flags, headers(body, 4, id));
      }
      case SpdyConstants.TYPE_HEADERS -> {
        int id = nonZeroStreamId(body.getInt(0));
        yield new SpdyFrame.Headers(id, flags, headers(body, 4, id));
      }
      case SpdyConstants.TYPE_RST_STREAM -> {
        int id = nonZeroStreamId(body.getInt(0));
        int code = body.getInt(4);
        if (code
            == 0) { // not a status at all; an unknown one only resets its stream (Netty's valueOf)
          throw new SpdyProtocolException("invalid RST_STREAM status 0", id);
        }
        yield new SpdyFrame.RstStream(id, RstStatus.valueOf(code));
      }
      case SpdyConstants.TYPE_SETTINGS -> readSettings(body);
      case SpdyConstants.TYPE_PING -> {
        int id = body.getInt(0);
        if (id == 0) {
          throw new SpdyProtocolException("stream id zero is disallowed", 0);
        }
        yield new SpdyFrame.Ping(id);
      }
      case SpdyConstants.TYPE_GOAWAY -> {
        // An unknown status is not a reason to fail while the peer is leaving anyway.
        int lastGood = body.getInt(0) & SpdyConstants.MAX_STREAM_ID;
        yield new SpdyFrame.GoAway(lastGood, GoAwayStatus.valueOf(body.getInt(4)));
      }
      case SpdyConstants.TYPE_WINDOW_UPDATE ->
          new SpdyFrame.WindowUpdate(
              body.getInt(0) & SpdyConstants.MAX_STREAM_ID,
              body.getInt(4) & SpdyConstants.MAX_STREAM_ID);
      default -> throw new IllegalStateException("unreachable: type " + type);
    };
  }

  private SpdyFrame readSettings(Buffer body) throws SpdyProtocolException {
    int count = body.getInt(0);
    if (count < 0 || 4 + 8L * count != body.length()) {
      throw new SpdyProtocolException(
          "invalid SETTINGS entry count " + Integer.toUnsignedString(count), 0);
    }
    List<SpdyFrame.Setting> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int at = 4 + 8 * i;
      entries.add(
          new SpdyFrame.Setting(
              body.getUnsignedByte(at), body.getUnsignedMedium(at + 1), body.getInt(at + 4)));
    }
    return new SpdyFrame.Settings(flags, entries);
  }

  private static int nonZeroStreamId(int raw) throws SpdyProtocolException {
    int id = raw & SpdyConstants.MAX_STREAM_ID;
    if (id == 0) {
      throw new SpdyProtocolException("stream id zero is disallowed", 0);
    }
    return id;
  }

  private HeaderBlock headers(Buffer body, int offset, int id) throws SpdyProtocolException {
    return headerDecoder.decode(body.getBytes(offset, body.length()), id);
  }
}
