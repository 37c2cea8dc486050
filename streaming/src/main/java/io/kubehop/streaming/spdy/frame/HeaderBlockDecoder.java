package io.kubehop.streaming.spdy.frame;

import io.kubehop.streaming.httpstream.HeaderBlock;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses and parses header blocks for one direction of one connection.
 *
 * <p>One {@link Inflater} serves every block of the connection (the peer's compressor is stateful
 * across frames); it is given the SPDY/3 dictionary when it reports {@code needsDictionary()},
 * which Go's blocks always trigger. Enforces spdystream's rules on read: lower-case, unique,
 * non-empty names, and a compressed payload consumed exactly. Decompressed output is capped to keep
 * a hostile block from exhausting memory. Not thread safe.
 */
final class HeaderBlockDecoder {

  /** Upper bound of one decompressed block; Kubernetes blocks are a few dozen bytes. */
  static final int MAX_DECOMPRESSED = 256 * 1024;

  private final Inflater inflater = new Inflater();
  private final byte[] chunk = new byte[4096];

  /** Parses the compressed block {@code compressed} of a frame on {@code streamId}. */
  HeaderBlock decode(byte[] compressed, int streamId) throws SpdyProtocolException {
    if (compressed.length == 0) {
      return HeaderBlock.EMPTY;
    }
    Buffer raw = Buffer.buffer(128);
    inflater.setInput(compressed);
    try {
      while (true) {
        int n = inflater.inflate(chunk);
        if (n > 0) {
          raw.appendBytes(chunk, 0, n);
          if (raw.length() > MAX_DECOMPRESSED) {
            throw new SpdyProtocolException("header block too large", streamId);
          }
        } else if (inflater.needsDictionary()) {
          inflater.setDictionary(SpdyDictionary.bytes());
        } else {
          break; // needs input (block consumed), finished, or no progress possible
        }
      }
    } catch (DataFormatException | IllegalArgumentException e) {
      throw new SpdyProtocolException(
          "invalid header block compression: " + e.getMessage(), streamId);
    }
    if (inflater.getRemaining() != 0) {
      throw new SpdyProtocolException("compressed payload size was incorrect", streamId);
    }
    return parse(raw, streamId);
  }

  void close() {
    inflater.end();
  }

  static HeaderBlock parse(Buffer raw, int streamId) throws SpdyProtocolException {
    try {
      int count = raw.getInt(0);
      int pos = 4;
      if (count < 0) {
        throw new SpdyProtocolException("invalid header count " + count, streamId);
      }
      HeaderBlock.Builder b = HeaderBlock.builder();
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < count; i++) {
        int nameLength = raw.getInt(pos);
        if (nameLength <= 0 || nameLength > raw.length() - pos - 4) {
          throw new SpdyProtocolException("invalid header name length " + nameLength, streamId);
        }
        String name = raw.getString(pos + 4, pos + 4 + nameLength, StandardCharsets.UTF_8.name());
        pos += 4 + nameLength;
        int valueLength = raw.getInt(pos);
        if (valueLength < 0 || valueLength > raw.length() - pos - 4) {
          throw new SpdyProtocolException("invalid header value length " + valueLength, streamId);
        }
        String value = raw.getString(pos + 4, pos + 4 + valueLength, StandardCharsets.UTF_8.name());
        pos += 4 + valueLength;
        if (!name.equals(name.toLowerCase(Locale.ROOT))) {
          throw new SpdyProtocolException("header was not lowercased", streamId);
        }
        if (!seen.add(name)) {
          throw new SpdyProtocolException("multiple headers with same name", streamId);
        }
        for (String v : value.split("\0", -1)) {
          b.add(name, v);
        }
      }
      if (pos != raw.length()) {
        throw new SpdyProtocolException("header block has trailing bytes", streamId);
      }
      return b.build();
    } catch (IndexOutOfBoundsException e) {
      throw new SpdyProtocolException("truncated header block", streamId);
    }
  }
}
