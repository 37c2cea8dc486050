package io.kubehop.streaming.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AsciicastTest {

  @Test
  void writesTheV2HeaderAndOneArrayPerLine() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Asciicast cast = new Asciicast(bytes)) {
      cast.header(
          101,
          37,
          1_796_000_000L,
          new RecordingInfo(
              "s-1",
              "exec",
              "default/demo",
              "c",
              List.of("sh", "-c", "stty size; echo hi; exit 2"),
              "kubehop-admin"));
      cast.event(5, "o", "24 80\r\n");
      cast.event(
          1_250_000, "i", new JsonText(), "hé\u0000\u001b[0m".getBytes(StandardCharsets.UTF_8));
      cast.event(2_000_001, "r", "120x40");
      cast.event(12_000_000, "x", "2");
    }
    assertEquals(
        "{\"version\":2,\"width\":101,\"height\":37,\"timestamp\":1796000000,"
            + "\"command\":\"sh -c 'stty size; echo hi; exit 2'\","
            + "\"title\":\"kubectl exec default/demo -c c\",\"session\":\"s-1\","
            + "\"subresource\":\"exec\",\"pod\":\"default/demo\",\"container\":\"c\","
            + "\"user\":\"kubehop-admin\"}\n"
            + "[0.000005,\"o\",\"24 80\\r\\n\"]\n"
            + "[1.250000,\"i\",\"hé\\u0000\\u001b[0m\"]\n"
            + "[2.000001,\"r\",\"120x40\"]\n"
            + "[12.000000,\"x\",\"2\"]\n",
        bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void attachHasNoCommandAndAnUnknownUserIsLeftOut() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Asciicast cast = new Asciicast(bytes)) {
      cast.header(80, 24, 7, new RecordingInfo("s-2", "attach", "ns/p", "main", List.of(), null));
    }
    assertEquals(
        "{\"version\":2,\"width\":80,\"height\":24,\"timestamp\":7,"
            + "\"title\":\"kubectl attach ns/p -c main\",\"session\":\"s-2\","
            + "\"subresource\":\"attach\",\"pod\":\"ns/p\",\"container\":\"main\"}\n",
        bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void commandLineQuotesWhatAShellWouldSplit() {
    assertEquals(
        "echo 'a b' '' 'it'\"'\"'s' x=1,2",
        new RecordingInfo("s", "exec", "p", "c", List.of("echo", "a b", "", "it's", "x=1,2"), null)
            .commandLine());
  }

  @Test
  void secondsHaveSixDecimalsAndNoExponent() {
    assertEquals("0.000000", Asciicast.seconds(0));
    assertEquals("0.000100", Asciicast.seconds(100));
    assertEquals("3600.500000", Asciicast.seconds(3_600_500_000L));
  }
}
