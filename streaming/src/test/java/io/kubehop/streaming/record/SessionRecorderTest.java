package io.kubehop.streaming.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionRecorderTest {

  @TempDir Path dir;

  private static RecordingInfo info(String session) {
    return new RecordingInfo(session, "exec", "default/demo", "c", List.of("sh"), "alice");
  }

  /** Event lines with their times replaced by T: the times are the clock's. */
  private static List<String> events(Path file) throws Exception {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return lines.subList(1, lines.size()).stream()
        .map(l -> l.replaceFirst("^\\[\\d+\\.\\d{6},", "[T,"))
        .toList();
  }

  private static String header(Path file) throws Exception {
    return Files.readAllLines(file, StandardCharsets.UTF_8).get(0);
  }

  @Test
  void aTerminalSessionsHeaderWaitsForItsFirstSizeAndLaterSizesAreResizes() throws Exception {
    SessionRecorder recorder = SessionRecorder.to(dir);
    Recording r = recorder.open(info("tty-1"));
    r.terminal();
    r.output(Buffer.buffer("$ "));
    r.resize(101, 37);
    r.input(Buffer.buffer("echo hi\r"));
    r.resize(120, 40);
    r.exit(2);
    r.close();
    recorder.close();

    Path file = dir.resolve("tty-1.cast");
    assertTrue(header(file).startsWith("{\"version\":2,\"width\":101,\"height\":37,"));
    assertEquals(
        List.of(
            "[T,\"o\",\"$ \"]",
            "[T,\"i\",\"echo hi\\r\"]",
            "[T,\"r\",\"120x40\"]",
            "[T,\"x\",\"2\"]"),
        events(file));
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
    assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(dir));
  }

  @Test
  void aCharacterCutBetweenTwoOutputsIsJoinedAndMalformedBytesBecomeReplacements()
      throws Exception {
    SessionRecorder recorder = SessionRecorder.to(dir);
    Recording r = recorder.open(info("utf8"));
    byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // three bytes
    r.output(Buffer.buffer(new byte[] {'a', euro[0]}));
    r.output(Buffer.buffer(new byte[] {euro[1], euro[2], 'b', (byte) 0xff}));
    r.close();
    recorder.close();

    Path file = dir.resolve("utf8.cast");
    assertTrue(header(file).startsWith("{\"version\":2,\"width\":80,\"height\":24,"));
    assertEquals(List.of("[T,\"o\",\"a\"]", "[T,\"o\",\"€b\uFFFD\"]"), events(file));
  }

  @Test
  void whatDoesNotFitTheQueueIsDroppedCountedAndMarked() throws Exception {
    SessionRecorder recorder = SessionRecorder.to(dir, 4);
    Recording r = recorder.open(info("small"));
    r.output(Buffer.buffer("too long")); // 8 bytes against a budget of 4
    r.output(Buffer.buffer("ok"));
    r.exit(0);
    r.close();
    recorder.close();

    assertEquals(8, r.dropped());
    assertEquals(8, recorder.dropped());
    assertEquals(
        List.of(
            "[T,\"m\",\"kubehop: 8 bytes not recorded here (the recorder fell behind)\"]",
            "[T,\"o\",\"ok\"]",
            "[T,\"x\",\"0\"]"),
        events(dir.resolve("small.cast")));
  }

  @Test
  void aSessionThatEndsBeforeAnyByteStillLeavesAValidFileAndIdsAreNeverOverwritten()
      throws Exception {
    SessionRecorder recorder = SessionRecorder.to(dir);
    recorder.open(info("again")).close();
    recorder.open(info("again")).close();
    recorder.close();
    assertEquals(List.of(), events(dir.resolve("again.cast")));
    assertEquals(List.of(), events(dir.resolve("again-2.cast")));
    Pattern header = Pattern.compile("\\{\"version\":2,.*\"session\":\"again\".*\\}");
    assertTrue(header.matcher(header(dir.resolve("again-2.cast"))).matches());
  }

  @Test
  void aClosedRecorderRecordsNothingMore() throws Exception {
    SessionRecorder recorder = SessionRecorder.to(dir);
    Recording r = recorder.open(info("late"));
    recorder.close();
    r.output(Buffer.buffer("after"));
    r.close();
    assertFalse(Files.exists(dir.resolve("late.cast")));
    assertFalse(recorder.on());
  }

  @Test
  void stoppingTheRecorderClosesTheFilesOfLiveSessionsValid() throws Exception {
    SessionRecorder recorder = SessionRecorder.to(dir);
    Recording r = recorder.open(info("live"));
    r.output(Buffer.buffer("partial"));
    recorder.close();
    assertEquals(List.of("[T,\"o\",\"partial\"]"), events(dir.resolve("live.cast")));
  }
}
