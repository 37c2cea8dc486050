package io.kubehop.streaming.trace;

import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.spdy.frame.SpdyFrame;
import io.kubehop.streaming.spdy.frame.SpdyFrameDecoder;
import io.kubehop.streaming.spdy.frame.SpdyFrameWalker;
import io.kubehop.streaming.spdy.frame.SpdyProtocolException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Decodes a copy of one direction of a SPDY/3.1 connection into trace events, one per frame: type,
 * stream id, the stream's {@code streamtype}, flags, length and the payload's first bytes. The
 * frame boundaries are walked by a {@link SpdyFrameWalker}; the header blocks (zlib, one context
 * per direction) are read by a {@link SpdyFrameDecoder} fed the same bytes first, so a SYN_STREAM's
 * event carries its stream type. A malformed stream ends the tap (one {@code error} event), never
 * the connection.
 */
public final class SpdyFrameTap implements Consumer<Buffer> {

  /** Payload bytes an event shows: enough for a Status on the error stream, with its exit code. */
  static final int PREVIEW = 256;

  private static final String[] CONTROL = {
    "",
    "SYN_STREAM",
    "SYN_REPLY",
    "RST_STREAM",
    "SETTINGS",
    "NOOP",
    "PING",
    "GOAWAY",
    "HEADERS",
    "WINDOW_UPDATE"
  };

  private final FrameTracer tracer;
  private final JsonObject base;
  private final Map<Integer, String> streamTypes;
  private final SpdyFrameDecoder headers;
  private final SpdyFrameWalker frames = new SpdyFrameWalker(PREVIEW, this::emit);
  private boolean failed;

  /**
   * A tap of the bytes {@code from} sends to {@code to} in session {@code session}, sharing {@code
   * streamTypes} with the tap of the other direction (a stream is opened by either side).
   */
  public SpdyFrameTap(
      FrameTracer tracer,
      String session,
      String from,
      String to,
      Map<Integer, String> streamTypes) {
    this.tracer = tracer;
    this.base =
        new JsonObject()
            .put("session", session)
            .put("from", from)
            .put("to", to)
            .put("protocol", "spdy/3.1");
    this.streamTypes = streamTypes;
    this.headers =
        new SpdyFrameDecoder(
            new SpdyFrameDecoder.Listener() {
              @Override
              public void onFrame(SpdyFrame frame) {
                if (frame instanceof SpdyFrame.SynStream syn) {
                  String type = syn.headers().get(StreamHeaders.STREAM_TYPE);
                  if (type != null) {
                    streamTypes.put(syn.streamId(), type);
                  }
                }
              }

              @Override
              public void onFrameError(SpdyProtocolException error) {
                fail(error.getMessage());
              }
            });
  }

  /** A pair's shared stream types: create one per connection. */
  public static Map<Integer, String> streamTypes() {
    return new HashMap<>();
  }

  @Override
  public void accept(Buffer bytes) {
    if (failed) {
      return;
    }
    // Decoded in place, no copy: the decoder and the walk only read, and the splice never writes
    // to a buffer it relayed.
    headers.decode(bytes);
    if (!failed) {
      frames.accept(bytes);
    }
  }

  private void emit(SpdyFrameWalker.Head head, Buffer preview) {
    JsonObject event = base.copy().put("time", FrameTracer.now());
    int length = head.length();
    if (head.isControl()) {
      int type = head.type();
      event.put("frame", type < CONTROL.length ? CONTROL[type] : "CONTROL_" + type);
      if (length >= 4 && head.opensWithStreamId()) {
        int stream = preview.getInt(0) & 0x7FFFFFFF;
        event.put("stream", stream);
        putStreamType(event, stream);
      }
    } else {
      event.put("frame", "DATA").put("stream", head.dataStreamId());
      putStreamType(event, head.dataStreamId());
      describe(preview, length, event);
    }
    event.put("flags", head.flags()).put("length", length);
    tracer.record(event);
  }

  private void putStreamType(JsonObject event, int stream) {
    String type = streamTypes.get(stream);
    if (type != null) {
      event.put("streamType", type);
    }
  }

  private void fail(String why) {
    if (!failed) {
      failed = true;
      tracer.record(base.copy().put("time", FrameTracer.now()).put("error", why));
      headers.close();
    }
  }

  /** Releases the header decoder's zlib state. */
  public void close() {
    failed = true;
    headers.close();
  }

  /**
   * The payload's first bytes as {@code text} when they are UTF-8 (a character cut at the preview's
   * end aside) without control characters a terminal would not take (NUL and the like), else as
   * {@code hex}; {@code truncated} when the payload is longer. Hex is also the shorter form for
   * binary data: JSON would spell each NUL as six characters.
   */
  static void describe(Buffer preview, int length, JsonObject event) {
    byte[] bytes = preview.getBytes();
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    CharBuffer chars = CharBuffer.allocate(bytes.length);
    CoderResult result = utf8.decode(ByteBuffer.wrap(bytes), chars, true);
    boolean cutAtEnd = result.isMalformed() && length > bytes.length;
    String text = chars.flip().toString();
    if ((result.isError() && !cutAtEnd) || !terminalText(text)) {
      event.put("hex", HexFormat.of().formatHex(bytes));
    } else {
      event.put("text", text);
    }
    if (length > bytes.length) {
      event.put("truncated", true);
    }
  }

  /** No control characters but tab, newline, carriage return, backspace, bell and escape. */
  private static boolean terminalText(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < 0x20 || c == 0x7f) && "\t\n\r\b\u0007\u001b".indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }
}
