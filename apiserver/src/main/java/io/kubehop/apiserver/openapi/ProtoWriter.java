package io.kubehop.apiserver.openapi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal protobuf wire-format writer: varint-length-delimited strings and nested messages only.
 */
final class ProtoWriter {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  ProtoWriter string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  ProtoWriter message(int field, ProtoWriter nested) {
    return bytes(field, nested.toByteArray());
  }

  private ProtoWriter bytes(int field, byte[] value) {
    varint((long) field << 3 | 2); // wire type 2: length-delimited
    varint(value.length);
    out.writeBytes(value);
    return this;
  }

  private void varint(long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
