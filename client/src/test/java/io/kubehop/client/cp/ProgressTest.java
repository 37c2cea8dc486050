package io.kubehop.client.cp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The progress line's text; when it is drawn at all is the e2e tests' business. */
class ProgressTest {

  @Test
  void aKnownTotalShowsABarAndPercentage() {
    assertEquals(
        "big.bin [============>           ]  50% 512.0 MiB / 1.0 GiB  256.0 MiB/s",
        Progress.line("big.bin", 512L << 20, 1L << 30, 2_000_000_000L));
  }

  @Test
  void anUnknownTotalShowsBytesAndThroughput() {
    assertEquals("dir 1.5 KiB  768 B/s", Progress.line("dir", 1536, -1, 2_000_000_000L));
  }

  @Test
  void smallCountsAreBytes() {
    assertEquals("0 B", Progress.bytes(0));
    assertEquals("1023 B", Progress.bytes(1023));
    assertEquals("1.0 KiB", Progress.bytes(1024));
  }
}
