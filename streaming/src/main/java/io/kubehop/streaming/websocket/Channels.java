package io.kubehop.streaming.websocket;

import io.kubehop.streaming.httpstream.StreamType;

/**
 * Channel numbers of exec/attach over WebSocket (apimachinery {@code remotecommand} constants).
 * Every message starts with the channel: one byte in binary protocols, the ASCII digit {@code
 * '0'+channel} in base64 ones.
 *
 * <pre>
 *   0 stdin   1 stdout   2 stderr   3 error (Status)   4 resize   255 CLOSE (v5: [0xFF, channel])
 * </pre>
 */
public final class Channels {

  public static final int STDIN = 0;
  public static final int STDOUT = 1;
  public static final int STDERR = 2;
  public static final int ERROR = 3;
  public static final int RESIZE = 4;

  /** The v5 CLOSE signal's first byte. */
  public static final int CLOSE = 255;

  /** Exec and attach always set up five channels; messages for higher ones are ignored. */
  public static final int COUNT = 5;

  private Channels() {
    throw new AssertionError("No instances.");
  }

  /** The channel a remotecommand stream type travels on. */
  public static int of(StreamType type) {
    return switch (type) {
      case STDIN -> STDIN;
      case STDOUT -> STDOUT;
      case STDERR -> STDERR;
      case ERROR -> ERROR;
      case RESIZE -> RESIZE;
      case DATA -> throw new IllegalArgumentException("no exec channel for " + type);
    };
  }

  /** The stream type of an exec channel. */
  public static StreamType typeOf(int channel) {
    return switch (channel) {
      case STDIN -> StreamType.STDIN;
      case STDOUT -> StreamType.STDOUT;
      case STDERR -> StreamType.STDERR;
      case ERROR -> StreamType.ERROR;
      case RESIZE -> StreamType.RESIZE;
      default -> throw new IllegalArgumentException("no exec channel " + channel);
    };
  }
}
