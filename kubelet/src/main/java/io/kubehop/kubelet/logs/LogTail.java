package io.kubehop.kubelet.logs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds where the last N lines of a file start (upstream's {@code tail.FindTailLineStartIndex}).
 * Blocking.
 */
final class LogTail {

  private static final int BLOCK = 8192;

  private LogTail() {
    throw new AssertionError("No instances.");
  }

  /**
   * The offset of the first of the last {@code lines} newline-terminated lines; 0 if the file has
   * fewer.
   */
  static long startOfLastLines(Path file, long lines) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long size = f.length();
      if (lines == 0) {
        return size;
      }
      byte[] buf = new byte[BLOCK];
      long pos = size;
      long seen = 0;
      while (pos > 0) {
        int n = (int) Math.min(BLOCK, pos);
        pos -= n;
        f.seek(pos);
        f.readFully(buf, 0, n);
        for (int i = n - 1; i >= 0; i--) {
          if (buf[i] == '\n') {
            // The newline at the very end of the file terminates the last line and is not counted.
            if (pos + i == size - 1) {
              continue;
            }
            seen++;
            if (seen == lines) {
              return pos + i + 1;
            }
          }
        }
      }
      return 0;
    }
  }
}
