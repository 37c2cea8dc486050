package io.kubehop.capture;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A golden hex file as it is written: {@code # comment} lines, then one {@code direction label hex}
 * line per frame, in the order the proxy saw them. Tests look frames up by label, so a label seen
 * before gets the suffix {@code .2}, {@code .3}, … ({@code data-3}, {@code data-3.2}). Every line
 * is flushed at once, so {@code tail -f} shows a session as it runs and a killed proxy leaves whole
 * lines.
 */
final class CaptureFile implements Closeable {

  private final Path path;
  private final BufferedWriter out;
  private final Map<String, Integer> seen = new HashMap<>();
  private int frames;

  CaptureFile(Path path, List<String> comments) throws IOException {
    Files.createDirectories(path.getParent());
    this.path = path;
    this.out = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
    for (String comment : comments) {
      comment(comment);
    }
  }

  synchronized void frame(Direction direction, CapturedFrame frame) throws IOException {
    int n = seen.merge(frame.label(), 1, Integer::sum);
    String label = n == 1 ? frame.label() : frame.label() + "." + n;
    out.write(direction.wire() + " " + label + " " + frame.hex() + "\n");
    out.flush();
    frames++;
  }

  synchronized void comment(String text) throws IOException {
    out.write("# " + text + "\n");
    out.flush();
  }

  synchronized int frames() {
    return frames;
  }

  Path path() {
    return path;
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
