package io.kubehop.client.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AsciicastPlayerTest {

  private static final String CAST =
      "{\"version\":2,\"width\":101,\"height\":37,\"timestamp\":1}\n"
          + "[0.500000,\"o\",\"37 101\\r\\n\"]\n"
          + "[0.600000,\"i\",\"typed\"]\n"
          + "[0.700000,\"r\",\"120x40\"]\n"
          + "[2.500000,\"o\",\"hé\\r\\n\"]\n"
          + "[12.500000,\"o\",\"\\u001b[0m\"]\n"
          + "[12.600000,\"m\",\"note\"]\n"
          + "[12.600000,\"x\",\"2\"]\n";

  private final List<Long> pauses = new ArrayList<>();

  private AsciicastPlayer.Played play(double speed, double maxWait, String cast, StringBuilder out)
      throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    AsciicastPlayer.Played played =
        new AsciicastPlayer(speed, maxWait, pauses::add)
            .play(new BufferedReader(new StringReader(cast)), bytes);
    out.append(bytes.toString(StandardCharsets.UTF_8));
    return played;
  }

  @Test
  void writesTheOutputAtItsTimesAndReturnsTheSizeAndExitCode() throws Exception {
    StringBuilder out = new StringBuilder();
    AsciicastPlayer.Played played = play(1, Double.POSITIVE_INFINITY, CAST, out);
    assertEquals("37 101\r\nhé\r\n\u001b[0m", out.toString());
    assertEquals(new AsciicastPlayer.Played(101, 37, 2), played);
    assertEquals(List.of(500_000_000L, 2_000_000_000L, 10_000_000_000L), pauses);
  }

  @Test
  void speedDividesThePausesAndMaxWaitCapsThem() throws Exception {
    play(100, 0.05, CAST, new StringBuilder());
    assertEquals(List.of(5_000_000L, 20_000_000L, 50_000_000L), pauses);
  }

  @Test
  void aFileThatIsNotAsciicastV2IsRefusedWithItsLine() {
    IOException notV2 =
        assertThrows(IOException.class, () -> play(1, 1, "{\"version\":1}\n", new StringBuilder()));
    assertEquals("line 1: not an asciicast v2 header", notV2.getMessage());
    IOException badEvent =
        assertThrows(
            IOException.class,
            () -> play(1, 1, "{\"version\":2}\n[0.1,\"o\"]\n", new StringBuilder()));
    assertEquals("line 2: not an event [time, code, data]", badEvent.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new AsciicastPlayer(0, 1, n -> {}));
  }
}
