package io.kubehop.streaming.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonTextTest {

  /** The escaped text of {@code bytes} cut at {@code cuts}, read back by a JSON parser. */
  private static String through(byte[] bytes, int... cuts) throws Exception {
    JsonText text = new JsonText();
    JsonText.Escaped out = new JsonText.Escaped();
    out.raw("\"");
    int from = 0;
    for (int cut : cuts) {
      text.append(Arrays.copyOfRange(bytes, from, cut), out);
      from = cut;
    }
    text.append(Arrays.copyOfRange(bytes, from, bytes.length), out);
    out.raw("\"");
    return (String)
        Json.decodeValue(new String(out.bytes(), 0, out.length(), StandardCharsets.UTF_8));
  }

  private static String decoded(byte[] bytes) throws Exception {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }

  @Test
  void escapesWhatJsonMustAndKeepsTheRest() throws Exception {
    JsonText.Escaped out = new JsonText.Escaped();
    new JsonText()
        .append("a\"b\\c\n\r\t\u0000\u001b[0m\u007fé€😀".getBytes(StandardCharsets.UTF_8), out);
    assertEquals(
        "a\\\"b\\\\c\\n\\r\\t\\u0000\\u001b[0m\u007fé€😀",
        new String(out.bytes(), 0, out.length(), StandardCharsets.UTF_8));
  }

  @Test
  void aCharacterCutAnywhereIsJoined() throws Exception {
    byte[] bytes = "x€😀y".getBytes(StandardCharsets.UTF_8);
    for (int cut = 0; cut <= bytes.length; cut++) {
      assertEquals("x€😀y", through(bytes, cut), "cut at " + cut);
    }
  }

  @Test
  void anyBytesCutAnywhereReadAsTheJdkDecoderReadsThemWhole() throws Exception {
    Random random = new Random(42);
    for (int round = 0; round < 2000; round++) {
      byte[] bytes = new byte[random.nextInt(40)];
      for (int i = 0; i < bytes.length; i++) {
        // mostly the bytes UTF-8 is made of, so that sequences, cut ones and bad ones all occur
        bytes[i] =
            (byte)
                switch (random.nextInt(5)) {
                  case 0 -> random.nextInt(128);
                  case 1 -> 0x80 + random.nextInt(64);
                  case 2 -> 0xC0 + random.nextInt(32);
                  case 3 -> 0xE0 + random.nextInt(16);
                  default -> 0xF0 + random.nextInt(16);
                };
      }
      int a = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
      int b = a + (bytes.length == a ? 0 : random.nextInt(bytes.length - a + 1));
      String whole = decoded(bytes);
      String cut = through(bytes, a, b);
      // A cut sequence still pending at the very end is left for a next event that never comes.
      if (!whole.equals(cut)) {
        assertEquals(whole, cut + "\uFFFD", Arrays.toString(bytes) + " cut at " + a + ", " + b);
      }
    }
  }
}
