package io.kubehop.kubelet.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

  @TempDir Path dir;

  private long start(String content, long lines) throws Exception {
    Path f = dir.resolve("0.log");
    Files.writeString(f, content);
    return LogTail.startOfLastLines(f, lines);
  }

  @Test
  void findsTheStartOfTheLastLines() throws Exception {
    assertEquals(4, start("a\nb\nc\n", 1));
    assertEquals(2, start("a\nb\nc\n", 2));
    assertEquals(0, start("a\nb\nc\n", 3));
    assertEquals(0, start("a\nb\nc\n", 10));
    assertEquals(6, start("a\nb\nc\n", 0));
    assertEquals(4, start("a\nb\nc", 1), "an unterminated last line counts as a line");
    assertEquals(0, start("", 5));
  }

  @Test
  void worksAcrossBlocks() throws Exception {
    String line = "x".repeat(5000) + "\n";
    assertEquals(line.length() * 7L, start(line.repeat(10), 3));
  }

  @Test
  void aMissingFileHasNoLines() throws Exception {
    assertEquals(0, LogTail.startOfLastLines(dir.resolve("none.log"), 3));
  }
}
