package io.kubehop.streaming.spdy.frame;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Golden frames from {@code src/test/resources/golden/spdy/*.hex}: {@code direction name hex} per
 * line.
 */
public final class Golden {

  private Golden() {}

  /** Frame name to bytes, in file order. */
  public static Map<String, Buffer> load(String file) {
    try (InputStream in = Golden.class.getResourceAsStream("/golden/spdy/" + file)) {
      Map<String, Buffer> frames = new LinkedHashMap<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.trim().split("\\s+");
        frames.put(parts[1], Buffer.buffer(HexFormat.of().parseHex(parts[2])));
      }
      return frames;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String hex(Buffer b) {
    return HexFormat.of().formatHex(b.getBytes());
  }

  public static Buffer unhex(String hex) {
    return Buffer.buffer(HexFormat.of().parseHex(hex.replace(" ", "")));
  }
}
