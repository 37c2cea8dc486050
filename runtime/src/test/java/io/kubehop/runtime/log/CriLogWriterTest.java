package io.kubehop.runtime.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubehop.runtime.process.StreamType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRI log format: F/P tags, the 16 KiB line limit, per-stream line buffers, fixed timestamps.
 */
class CriLogWriterTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2016-10-06T00:17:09.669794202Z"), ZoneOffset.UTC);
  private static final String TS = "2016-10-06T00:17:09.669794202Z";

  @TempDir Path dir;

  private List<String> write(byte[]... chunks) throws Exception {
    Path file = dir.resolve("a/b/0.log");
    try (CriLogWriter writer = CriLogWriter.open(file, CLOCK)) {
      for (byte[] chunk : chunks) {
        writer.onOutput(StreamType.STDOUT, chunk);
      }
    }
    String log = Files.readString(file, StandardCharsets.UTF_8);
    return List.of(log.split("\n", -1));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void fullLinesAcrossChunks() throws Exception {
    assertEquals(
        List.of(TS + " stdout F hello world", TS + " stdout F ", TS + " stdout F x", ""),
        write(bytes("hel"), bytes("lo world\n\nx\n")));
  }

  @Test
  void trailingTextWithoutNewlineIsPartial() throws Exception {
    assertEquals(List.of(TS + " stdout F a", TS + " stdout P b", ""), write(bytes("a\nb")));
  }

  @Test
  void longLinesAreSplitIntoPartialsOf16KiB() throws Exception {
    byte[] line = bytes("x".repeat(40000) + "\n");
    assertEquals(
        List.of(
            TS + " stdout P " + "x".repeat(16384),
            TS + " stdout P " + "x".repeat(16384),
            TS + " stdout F " + "x".repeat(40000 - 2 * 16384),
            ""),
        write(line));
  }

  @Test
  void aLineOfExactly16KiBIsOneFullLine() throws Exception {
    assertEquals(
        List.of(TS + " stdout F " + "y".repeat(16384), ""), write(bytes("y".repeat(16384) + "\n")));
  }

  @Test
  void streamsKeepTheirOwnLineBuffers() throws Exception {
    Path file = dir.resolve("mixed.log");
    try (CriLogWriter writer = CriLogWriter.open(file, CLOCK)) {
      writer.onOutput(StreamType.STDOUT, bytes("out-"));
      writer.onOutput(StreamType.STDERR, bytes("err\n"));
      writer.onOutput(StreamType.STDOUT, bytes("line\n"));
    }
    assertEquals(TS + " stderr F err\n" + TS + " stdout F out-line\n", Files.readString(file));
  }

  @Test
  void appendsToAnExistingLog() throws Exception {
    write(bytes("one\n"));
    assertEquals(List.of(TS + " stdout F one", TS + " stdout F two", ""), write(bytes("two\n")));
  }
}
