package io.kubehop.runtime.process;

/** The output stream a chunk of container output came from, named as in the CRI log format. */
public enum StreamType {
  STDOUT("stdout"),
  STDERR("stderr");

  private final String criName;

  StreamType(String criName) {
    this.criName = criName;
  }

  /** The stream's name in a CRI log line ({@code stdout} or {@code stderr}). */
  public String criName() {
    return criName;
  }
}
