package io.kubehop.runtime.log;

import io.kubehop.runtime.process.OutputListener;
import io.kubehop.runtime.process.StreamType;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;

/**
 * Writes a container's output to a file in the CRI logging format (what containerd writes and the
 * kubelet reads), one line per output line:
 *
 * <pre>
 * 2016-10-06T00:17:09.669794202Z stdout F hello
 * 2016-10-06T00:17:09.669794202Z stderr P first 16 KiB of a longer line
 * </pre>
 *
 * The tag is {@code F} for a full line and {@code P} for a partial one: a line longer than {@link
 * #MAX_LINE_BYTES} is cut into P pieces ending with an F piece, and output that ends without a
 * newline is flushed as P on {@link #onEnd()}. Stdout and stderr keep separate line buffers but
 * share the file, whose lines are written whole under this object's lock.
 */
public final class CriLogWriter implements OutputListener, AutoCloseable {

  /** containerd's default maximum line size. */
  public static final int MAX_LINE_BYTES = 16 * 1024;

  private final Clock clock;
  private final OutputStream out;
  private final Map<StreamType, ByteArrayOutputStream> pending = new EnumMap<>(StreamType.class);
  private boolean closed;

  private CriLogWriter(OutputStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
    for (StreamType stream : StreamType.values()) {
      pending.put(stream, new ByteArrayOutputStream());
    }
  }

  /** Opens (creating directories, appending to an existing file) the log at {@code path}. */
  public static CriLogWriter open(Path path, Clock clock) throws IOException {
    Files.createDirectories(path.toAbsolutePath().getParent());
    OutputStream file =
        Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    return new CriLogWriter(new BufferedOutputStream(file, 64 * 1024), clock);
  }

  @Override
  public synchronized void onOutput(StreamType stream, byte[] chunk) {
    if (closed) {
      return;
    }
    ByteArrayOutputStream line = pending.get(stream);
    int start = 0;
    for (int i = 0; i < chunk.length; i++) {
      if (chunk[i] == '\n') {
        line.write(chunk, start, i - start);
        writeLine(stream, 'F', line);
        start = i + 1;
      } else if (line.size() + (i - start) == MAX_LINE_BYTES) {
        // the line is full and goes on: emit what we have as a partial line
        line.write(chunk, start, i - start);
        writeLine(stream, 'P', line);
        start = i;
      }
    }
    line.write(chunk, start, chunk.length - start);
    flush();
  }

  /**
   * The output ended: a trailing line without newline is written as a partial line, then the file
   * closes.
   */
  @Override
  public synchronized void onEnd() {
    close();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    for (Map.Entry<StreamType, ByteArrayOutputStream> entry : pending.entrySet()) {
      if (entry.getValue().size() > 0) {
        writeLine(entry.getKey(), 'P', entry.getValue());
      }
    }
    closed = true;
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("closing container log: " + e.getMessage(), e);
    }
  }

  private void writeLine(StreamType stream, char tag, ByteArrayOutputStream line) {
    String prefix = CriTimestamps.now(clock) + " " + stream.criName() + " " + tag + " ";
    try {
      out.write(prefix.getBytes(StandardCharsets.US_ASCII));
      line.writeTo(out);
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("writing container log: " + e.getMessage(), e);
    }
    line.reset();
  }

  private void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("writing container log: " + e.getMessage(), e);
    }
  }
}
