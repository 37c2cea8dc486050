package io.kubehop.kubelet.volume;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.core.DownwardAPIVolumeFile;
import io.kubehop.api.core.KeyToPath;
import io.kubehop.api.core.Pod;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of configMap, secret and downwardAPI sources (upstream's {@code MakePayload} and {@code
 * CollectData}): without items every key becomes a file of that name with the default mode; with
 * items only the listed keys, at their paths, with their own mode if they have one.
 */
public final class Payloads {

  /** Upstream's default for {@code defaultMode}: 0644. */
  public static final int DEFAULT_MODE = 0644;

  private Payloads() {
    throw new AssertionError("No instances.");
  }

  /**
   * A configMap's files; {@code configMap} is its JSON ({@code data} as text, {@code binaryData}
   * base64), or null for a missing optional one.
   */
  public static Map<String, FileProjection> configMap(
      JsonNode configMap, List<KeyToPath> items, int defaultMode, boolean optional)
      throws VolumeException {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    if (configMap != null) {
      // binaryData first so that a key in both (which validation forbids) reads as data, as
      // upstream looks data up first.
      decode(configMap.path("binaryData"), keys, true);
      decode(configMap.path("data"), keys, false);
    }
    return fromKeys(
        keys, items, defaultMode, optional, "configmap references non-existent config key: ");
  }

  /** A secret's files; {@code secret} is its JSON ({@code data} base64), or null. */
  public static Map<String, FileProjection> secret(
      JsonNode secret, List<KeyToPath> items, int defaultMode, boolean optional)
      throws VolumeException {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    if (secret != null) {
      decode(secret.path("data"), keys, true);
    }
    return fromKeys(
        keys, items, defaultMode, optional, "secret references non-existent secret key: ");
  }

  /** The downward API files of a pod. */
  public static Map<String, FileProjection> downwardApi(
      Pod pod, List<DownwardAPIVolumeFile> items, int defaultMode) throws VolumeException {
    Map<String, FileProjection> out = new LinkedHashMap<>();
    for (DownwardAPIVolumeFile f : items) {
      int mode = f.mode() != null ? f.mode() : defaultMode;
      if (f.fieldRef() != null) {
        String value = DownwardApi.fieldValue(pod, f.fieldRef().fieldPath());
        out.put(f.path(), new FileProjection(value.getBytes(StandardCharsets.UTF_8), mode));
      } else if (f.resourceFieldRef() != null) {
        throw new VolumeException(
            "downwardAPI resourceFieldRef is not supported by kubehop (path " + f.path() + ")");
      }
    }
    return out;
  }

  private static Map<String, FileProjection> fromKeys(
      Map<String, byte[]> keys,
      List<KeyToPath> items,
      int defaultMode,
      boolean optional,
      String missingKey)
      throws VolumeException {
    Map<String, FileProjection> out = new LinkedHashMap<>();
    if (items.isEmpty()) {
      keys.forEach((k, v) -> out.put(k, new FileProjection(v, defaultMode)));
      return out;
    }
    for (KeyToPath item : items) {
      byte[] data = keys.get(item.key());
      if (data == null) {
        if (optional) {
          continue;
        }
        throw new VolumeException(missingKey + item.key());
      }
      out.put(
          item.path(), new FileProjection(data, item.mode() != null ? item.mode() : defaultMode));
    }
    return out;
  }

  private static void decode(JsonNode map, Map<String, byte[]> into, boolean base64)
      throws VolumeException {
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String text = e.getValue().asText();
      try {
        into.put(
            e.getKey(),
            base64 ? Base64.getDecoder().decode(text) : text.getBytes(StandardCharsets.UTF_8));
      } catch (IllegalArgumentException bad) {
        throw new VolumeException("illegal base64 data for key " + e.getKey());
      }
    }
  }
}
