package io.kubehop.capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The lines of a golden hex file, {@code direction name hex}, in file order. The golden files live
 * with the streaming tests that use them; the capture tool's tests read the same files, so that
 * tool and files cannot drift apart.
 */
record GoldenLines(List<Line> lines) {

  record Line(String direction, String name, String hex) {
    byte[] bytes() {
      return HexFormat.of().parseHex(hex);
    }
  }

  /**
   * {@code spdy/kubectl-exec.hex} → {@code
   * streaming/src/test/resources/golden/spdy/kubectl-exec.hex}.
   */
  static GoldenLines golden(String file) {
    Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    return read(
        module.resolveSibling("streaming").resolve("src/test/resources/golden").resolve(file));
  }

  static GoldenLines read(Path path) {
    try {
      List<Line> lines = new ArrayList<>();
      for (String line : Files.readAllLines(path)) {
        if (!line.isBlank() && !line.startsWith("#")) {
          String[] parts = line.trim().split("\\s+");
          lines.add(new Line(parts[0], parts[1], parts[2]));
        }
      }
      return new GoldenLines(List.copyOf(lines));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<Line> from(String direction) {
    return lines.stream().filter(l -> l.direction().equals(direction)).toList();
  }

  Line named(String name) {
    return lines.stream()
        .filter(l -> l.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no golden line " + name));
  }
}
