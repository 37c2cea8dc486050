package io.kubehop.kubelet.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class CriLogLineTest {

  @Test
  void fullLineGetsItsNewlineBack() {
    CriLogLine l =
        CriLogLine.parse(Buffer.buffer("2016-10-06T00:17:09.669794202Z stdout F log  content "));
    assertEquals("stdout", l.stream());
    assertFalse(l.partial());
    assertEquals("log  content \n", l.content().toString());
    assertEquals("2016-10-06T00:17:09.669794202Z", CriLogLine.OUT.format(l.timestamp()));
  }

  @Test
  void partialLineKeepsNoNewline() {
    CriLogLine l = CriLogLine.parse(Buffer.buffer("2016-10-06T00:17:09Z stderr P abc"));
    assertTrue(l.partial());
    assertEquals("stderr", l.stream());
    assertEquals("abc", l.content().toString());
    assertEquals("2016-10-06T00:17:09.000000000Z", CriLogLine.OUT.format(l.timestamp()));
  }

  @Test
  void emptyContent() {
    assertEquals(
        "\n",
        CriLogLine.parse(Buffer.buffer("2016-10-06T00:17:09Z stdout F")).content().toString());
    assertEquals(
        "\n",
        CriLogLine.parse(Buffer.buffer("2016-10-06T00:17:09Z stdout F ")).content().toString());
  }

  @Test
  void nonCriLinesAreSkipped() {
    assertNull(CriLogLine.parse(Buffer.buffer("just text")));
    assertNull(CriLogLine.parse(Buffer.buffer("yesterday stdout F x")));
  }
}
