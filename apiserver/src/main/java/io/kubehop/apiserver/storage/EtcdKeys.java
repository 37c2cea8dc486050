package io.kubehop.apiserver.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.kubehop.api.json.ApiJson;
import io.kubehop.etcd.mvccpb.KeyValue;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Where and how {@link EtcdStore} keeps objects: upstream's key layout, {@code
 * <prefix>/<resource>/<namespace>/<name>} ({@code <prefix>/<resource>/<name>} for cluster-scoped
 * objects, e.g. {@code /registry/namespaces/default}), and the value as the object's JSON without
 * {@code metadata.resourceVersion}: that is the key's mod_revision, stamped on every read, as
 * upstream's APIObjectVersioner does, so a stored value never disagrees with its revision.
 */
final class EtcdKeys {

  private final String prefix;

  /** {@code prefix} as {@code --etcd-prefix} gives it; a trailing slash is dropped. */
  EtcdKeys(String prefix) {
    String p = prefix == null || prefix.isEmpty() ? "/registry" : prefix;
    while (p.endsWith("/") && p.length() > 1) {
      p = p.substring(0, p.length() - 1);
    }
    this.prefix = p.equals("/") ? "" : p;
  }

  ByteString key(StoreKey k) {
    return ByteString.copyFromUtf8(
        prefix
            + "/"
            + k.resource()
            + (k.namespace().isEmpty() ? "" : "/" + k.namespace())
            + "/"
            + k.name());
  }

  /** Every object of {@code resource} in {@code namespace} (null or empty: all of them). */
  ByteString prefix(String resource, String namespace) {
    return ByteString.copyFromUtf8(
        prefix
            + "/"
            + resource
            + "/"
            + (namespace == null || namespace.isEmpty() ? "" : namespace + "/"));
  }

  /** Every key of this apiserver; the slash keeps {@code /registry2} out of {@code /registry}. */
  ByteString all() {
    return ByteString.copyFromUtf8(prefix + "/");
  }

  /** The range_end that makes a Range or Watch cover every key starting with {@code prefix}. */
  static ByteString rangeEnd(ByteString prefix) {
    byte[] end = prefix.toByteArray();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return ByteString.copyFrom(end, 0, i + 1);
      }
    }
    return ByteString.copyFrom(new byte[] {0}); // all keys, as etcd's GetPrefixRangeEnd
  }

  /** The store key of an etcd key under the prefix, or null for a key kubehop did not write. */
  StoreKey parse(ByteString key) {
    String k = key.toStringUtf8();
    if (!k.startsWith(prefix + "/")) {
      return null;
    }
    String[] parts = k.substring(prefix.length() + 1).split("/", -1);
    return switch (parts.length) {
      case 2 -> new StoreKey(parts[0], "", parts[1]);
      case 3 -> new StoreKey(parts[0], parts[1], parts[2]);
      default -> null;
    };
  }

  /** The stored object with its resourceVersion, {@code kv}'s mod_revision. */
  static ObjectNode decode(KeyValue kv) {
    return decode(kv.getValue(), kv.getModRevision());
  }

  static ObjectNode decode(ByteString value, long resourceVersion) {
    JsonNode tree;
    try {
      tree = ApiJson.tree(value.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!(tree instanceof ObjectNode o)) {
      throw new IllegalStateException("stored value is not a JSON object");
    }
    return stamp(o, resourceVersion);
  }

  static ObjectNode stamp(ObjectNode o, long resourceVersion) {
    o.withObjectProperty("metadata").put("resourceVersion", Long.toString(resourceVersion));
    return o;
  }

  static ByteString encode(ObjectNode object) {
    ObjectNode stored = object.deepCopy();
    if (stored.get("metadata") instanceof ObjectNode m) {
      m.remove("resourceVersion");
    }
    return ByteString.copyFrom(ApiJson.writeBytes(stored));
  }
}
