package io.kubehop.streaming.spdy.frame;

import io.kubehop.streaming.httpstream.HeaderBlock;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * Serialises and compresses header blocks for one direction of one connection.
 *
 * <p>One {@link Deflater} (level 9, primed with the SPDY/3 dictionary) lives as long as the
 * connection and is never reset: the peer keeps one decompressor per connection, so every block
 * continues the same zlib stream. Each block ends with a SYNC_FLUSH ({@code 00 00 ff ff}), as Go's
 * {@code Flush()} does, so it can be decoded on its own frame boundary. Not thread safe; owned by
 * one {@link SpdyFrameEncoder}.
 */
final class HeaderBlockEncoder {

  private final Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
  private final byte[] chunk = new byte[4096];

  HeaderBlockEncoder() {
    deflater.setDictionary(SpdyDictionary.bytes());
  }

  /**
   * The compressed form of {@code headers}; names are already lower-case and unique in a {@link
   * HeaderBlock}.
   */
  Buffer encode(HeaderBlock headers) {
    deflater.setInput(raw(headers));
    Buffer out = Buffer.buffer(64);
    int n;
    do {
      n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
      out.appendBytes(chunk, 0, n);
    } while (n == chunk.length || !deflater.needsInput());
    return out;
  }

  /** Releases the native zlib state. */
  void close() {
    deflater.end();
  }

  /**
   * The uncompressed SPDY/3 layout: u32 count, then per pair u32 length + name, u32 length +
   * NUL-joined values.
   */
  static byte[] raw(HeaderBlock headers) {
    Buffer raw = Buffer.buffer(64).appendInt(headers.size());
    for (Map.Entry<String, List<String>> e : headers.asMap().entrySet()) {
      byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] value = String.join("\0", e.getValue()).getBytes(StandardCharsets.UTF_8);
      raw.appendInt(name.length).appendBytes(name).appendInt(value.length).appendBytes(value);
    }
    return raw.getBytes();
  }
}
