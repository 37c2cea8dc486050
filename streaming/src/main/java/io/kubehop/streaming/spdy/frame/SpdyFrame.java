package io.kubehop.streaming.spdy.frame;

import io.kubehop.streaming.httpstream.HeaderBlock;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Objects;

/**
 * A SPDY/3.1 frame: a closed set of immutable values, encoded by {@link SpdyFrameEncoder} and
 * produced by {@link SpdyFrameDecoder}. Header blocks appear here uncompressed; compression is a
 * property of the connection, not of the frame.
 */
public sealed interface SpdyFrame {

  /**
   * Opens stream {@code streamId}; Kubernetes clients send priority 0, associated id 0, flags 0.
   */
  record SynStream(
      int streamId, int associatedStreamId, int priority, int flags, HeaderBlock headers)
      implements SpdyFrame {
    public SynStream {
      Objects.requireNonNull(headers, "headers");
    }

    /** A client SYN_STREAM as client-go sends it: priority 0, associated stream 0, flags 0. */
    public static SynStream of(int streamId, HeaderBlock headers) {
      return new SynStream(streamId, 0, 0, 0, headers);
    }

    public boolean fin() {
      return (flags & SpdyConstants.FLAG_FIN) != 0;
    }
  }

  /** Accepts stream {@code streamId}; Kubernetes servers send an empty header block and flags 0. */
  record SynReply(int streamId, int flags, HeaderBlock headers) implements SpdyFrame {
    public SynReply {
      Objects.requireNonNull(headers, "headers");
    }

    public boolean fin() {
      return (flags & SpdyConstants.FLAG_FIN) != 0;
    }
  }

  /** Aborts a stream. */
  record RstStream(int streamId, RstStatus status) implements SpdyFrame {
    public RstStream {
      Objects.requireNonNull(status, "status");
    }
  }

  /** One SETTINGS entry: id (u24), flags (u8), value (u32). */
  record Setting(int flags, int id, int value) {}

  /** Settings; spdystream never sends them and ignores them, and so does kubehop's session. */
  record Settings(int flags, List<Setting> entries) implements SpdyFrame {
    public Settings {
      entries = List.copyOf(entries);
    }
  }

  /** A ping; the receiver of a ping with the other side's parity echoes it. */
  record Ping(int id) implements SpdyFrame {}

  /**
   * The end of a session; {@code lastGoodStreamId} is the highest peer-initiated id that was
   * processed.
   */
  record GoAway(int lastGoodStreamId, GoAwayStatus status) implements SpdyFrame {
    public GoAway {
      Objects.requireNonNull(status, "status");
    }
  }

  /** Extra headers for an open stream (unused by Kubernetes, but legal). */
  record Headers(int streamId, int flags, HeaderBlock headers) implements SpdyFrame {
    public Headers {
      Objects.requireNonNull(headers, "headers");
    }

    public boolean fin() {
      return (flags & SpdyConstants.FLAG_FIN) != 0;
    }
  }

  /** Flow-control credit; never sent by kubehop and ignored on receipt, as spdystream does. */
  record WindowUpdate(int streamId, int deltaWindowSize) implements SpdyFrame {}

  /**
   * Stream payload. The decoder may deliver one DATA frame as several {@code Data} values (it never
   * buffers a whole 16 MiB payload); only the last carries {@code fin}.
   */
  record Data(int streamId, boolean fin, Buffer data) implements SpdyFrame {
    public Data {
      Objects.requireNonNull(data, "data");
    }

    /** An empty DATA frame with FIN: the half-close of spdystream's {@code Stream.Close()}. */
    public static Data finOf(int streamId) {
      return new Data(streamId, true, Buffer.buffer());
    }
  }
}
