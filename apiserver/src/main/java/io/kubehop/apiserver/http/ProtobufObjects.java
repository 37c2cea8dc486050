package io.kubehop.apiserver.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.StatusException;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Just enough of Kubernetes' protobuf encoding to accept what kubectl 1.33 sends as protobuf:
 * {@code kubectl create namespace}, {@code create configmap} and {@code create secret} POST {@code
 * application/vnd.kubernetes.protobuf} (the {@code k8s\0} magic, a runtime.Unknown envelope, then a
 * v1.Namespace, v1.ConfigMap or v1.Secret). Of {@code metadata}, name, generateName, namespace,
 * labels and annotations are read: a Namespace's spec and status are set by the server anyway; of a
 * ConfigMap or Secret, also its data, binaryData or stringData, type and immutable (field numbers
 * of k8s.io/api/core/v1/generated.proto). The answer is JSON, which kubectl also accepts.
 */
final class ProtobufObjects {

  static final String CONTENT_TYPE = "application/vnd.kubernetes.protobuf";
  private static final byte[] MAGIC = {'k', '8', 's', 0};

  private ProtobufObjects() {
    throw new AssertionError("No instances.");
  }

  /** The object in {@code body} as JSON; kinds Namespace, ConfigMap and Secret (others: 415). */
  static ObjectNode decode(Buffer body) {
    byte[] b = body.getBytes();
    for (int i = 0; i < MAGIC.length; i++) {
      if (b.length < MAGIC.length || b[i] != MAGIC[i]) {
        throw StatusException.badRequest(
            "provided data does not appear to be a protobuf message, expected prefix "
                + "[107 56 115 0]");
      }
    }
    Reader unknown = new Reader(b, MAGIC.length, b.length);
    String apiVersion = "";
    String kind = "";
    byte[] raw = new byte[0];
    while (unknown.more()) {
      int tag = unknown.tag();
      if (tag == 1) {
        Reader typeMeta = unknown.message();
        while (typeMeta.more()) {
          int t = typeMeta.tag();
          if (t == 1) {
            apiVersion = typeMeta.string();
          } else if (t == 2) {
            kind = typeMeta.string();
          } else {
            typeMeta.skip();
          }
        }
      } else if (tag == 2) {
        raw = unknown.bytes();
      } else {
        unknown.skip();
      }
    }
    if (!kind.equals("Namespace") && !kind.equals("ConfigMap") && !kind.equals("Secret")) {
      throw Bodies.unsupportedObjectMediaType(CONTENT_TYPE);
    }
    ObjectNode obj = ApiJson.mapper().createObjectNode();
    obj.put("kind", kind).put("apiVersion", apiVersion.isEmpty() ? "v1" : apiVersion);
    ObjectNode meta = obj.putObject("metadata");
    Reader r = new Reader(raw, 0, raw.length);
    boolean secret = kind.equals("Secret");
    while (r.more()) {
      int field = r.tag();
      if (field == 1) {
        objectMeta(r.message(), meta);
      } else if (kind.equals("Namespace")) {
        r.skip();
      } else if (field == 2) {
        // ConfigMap.data is map<string,string>; Secret.data map<string,bytes>, base64 in JSON
        entry(r.message(), obj.withObjectProperty("data"), secret);
      } else if (field == 3 && !secret) {
        entry(r.message(), obj.withObjectProperty("binaryData"), true);
      } else if (field == 3) {
        putNonEmpty(obj, "type", r.string());
      } else if (field == 4 && secret) {
        entry(r.message(), obj.withObjectProperty("stringData"), false);
      } else if (field == (secret ? 5 : 4)) {
        obj.put("immutable", r.varint() != 0);
      } else {
        r.skip();
      }
    }
    return obj;
  }

  private static void putNonEmpty(ObjectNode o, String field, String value) {
    if (!value.isEmpty()) {
      o.put(field, value);
    }
  }

  /** One map entry (key 1, value 2) into {@code into}; bytes values as base64, as JSON has them. */
  private static void entry(Reader entry, ObjectNode into, boolean bytes) {
    String key = "";
    byte[] value = new byte[0];
    while (entry.more()) {
      int t = entry.tag();
      if (t == 1) {
        key = entry.string();
      } else if (t == 2) {
        value = entry.bytes();
      } else {
        entry.skip();
      }
    }
    into.put(
        key,
        bytes
            ? Base64.getEncoder().encodeToString(value)
            : new String(value, StandardCharsets.UTF_8));
  }

  private static void objectMeta(Reader r, ObjectNode meta) {
    while (r.more()) {
      switch (r.tag()) {
        // Go's generated code writes every string, empty or not: an empty one is unset
        case 1 -> putNonEmpty(meta, "name", r.string());
        case 2 -> putNonEmpty(meta, "generateName", r.string());
        case 3 -> putNonEmpty(meta, "namespace", r.string());
        case 11, 12 -> {
          String field = r.lastField == 11 ? "labels" : "annotations";
          Reader entry = r.message();
          String key = "";
          String value = "";
          while (entry.more()) {
            int t = entry.tag();
            if (t == 1) {
              key = entry.string();
            } else if (t == 2) {
              value = entry.string();
            } else {
              entry.skip();
            }
          }
          meta.withObjectProperty(field).put(key, value);
        }
        default -> r.skip();
      }
    }
  }

  /** A protobuf wire-format reader over a byte range. */
  private static final class Reader {
    private final byte[] b;
    private int pos;
    private final int end;
    int lastField;
    private int lastWireType;

    Reader(byte[] b, int from, int to) {
      this.b = b;
      this.pos = from;
      this.end = to;
    }

    boolean more() {
      return pos < end;
    }

    int tag() {
      long key = varint();
      lastField = (int) (key >>> 3);
      lastWireType = (int) (key & 7);
      return lastField;
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw StatusException.badRequest("truncated protobuf message");
        }
        byte x = b[pos++];
        v |= (long) (x & 0x7F) << shift;
        if ((x & 0x80) == 0) {
          return v;
        }
      }
      throw StatusException.badRequest("malformed protobuf varint");
    }

    byte[] bytes() {
      int len = (int) varint();
      if (len < 0 || pos + len > end) {
        throw StatusException.badRequest("truncated protobuf message");
      }
      byte[] out = Arrays.copyOfRange(b, pos, pos + len);
      pos += len;
      return out;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    Reader message() {
      byte[] m = bytes();
      return new Reader(m, 0, m.length);
    }

    void skip() {
      switch (lastWireType) {
        case 0 -> varint();
        case 1 -> pos += 8;
        case 2 -> bytes();
        case 5 -> pos += 4;
        default ->
            throw StatusException.badRequest("unsupported protobuf wire type " + lastWireType);
      }
    }
  }
}
