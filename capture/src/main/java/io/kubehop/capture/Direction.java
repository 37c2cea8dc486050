package io.kubehop.capture;

/** Which way bytes flow through the proxy, spelled as golden files spell it. */
enum Direction {
  CLIENT_TO_SERVER("C>S"),
  SERVER_TO_CLIENT("S>C");

  private final String wire;

  Direction(String wire) {
    this.wire = wire;
  }

  /** {@code C>S} or {@code S>C}, the first field of a golden line. */
  String wire() {
    return wire;
  }
}
