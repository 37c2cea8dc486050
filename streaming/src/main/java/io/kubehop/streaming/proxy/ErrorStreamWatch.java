package io.kubehop.streaming.proxy;

import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.httpstream.StreamType;
import io.kubehop.streaming.spdy.frame.SpdyConstants;
import io.kubehop.streaming.spdy.frame.SpdyFrame;
import io.kubehop.streaming.spdy.frame.SpdyFrameDecoder;
import io.kubehop.streaming.spdy.frame.SpdyFrameEncoder;
import io.kubehop.streaming.spdy.frame.SpdyFrameWalker;
import io.kubehop.streaming.spdy.frame.SpdyProtocolException;
import io.vertx.core.buffer.Buffer;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Reads along a spliced SPDY exec or attach connection so that, when the next hop's connection ends
 * before it sent the session's status, this tier can send the client one of its own instead of a
 * bare close ({@link #lastWords}).
 *
 * <p>Why: over SPDY, client-go reads the end of the connection as the end of the error stream,
 * which it takes for success, so kubectl exits 0 with nothing said when a kubelet or a runtime dies
 * (kubernetes/kubectl#1208). A splice holds no SPDY session, but it can still add a DATA frame:
 * DATA is not header-compressed, so no zlib state is needed, only three facts, which this watch
 * keeps:
 *
 * <ol>
 *   <li>the error stream's id: toward the backend, the client's SYN_STREAMs are decoded (their
 *       header blocks share one zlib context, so from the first frame on) until one says {@code
 *       streamtype: error}; then the decoder is released;
 *   <li>a frame boundary toward the client: the backend may die in the middle of a frame, and a
 *       frame added then would be read as the rest of that one;
 *   <li>that the backend has not already answered on the error stream (data, FIN or RST_STREAM):
 *       then the client has its status, or the stream is gone.
 * </ol>
 *
 * Toward the client only frame headers (and a control frame's stream id) are read. A watch that
 * meets bytes it cannot follow stops, and then never adds anything. Not thread safe: both
 * directions are fed on the splice's context.
 */
final class ErrorStreamWatch {

  /** A control frame's first payload bytes: the stream id it is about. */
  private static final int STREAM_ID_BYTES = 4;

  private SpdyFrameDecoder fromClient;
  private final SpdyFrameWalker fromBackend;
  private final Set<Integer> answeredByBackend = new HashSet<>();
  private int errorStream; // 0 until the client's SYN_STREAM names it
  private boolean blind;

  ErrorStreamWatch() {
    fromClient =
        new SpdyFrameDecoder(
            new SpdyFrameDecoder.Listener() {
              @Override
              public void onFrame(SpdyFrame frame) {
                if (frame instanceof SpdyFrame.SynStream syn
                    && StreamType.ERROR
                        .headerValue()
                        .equals(syn.headers().get(StreamHeaders.STREAM_TYPE))) {
                  errorStream = syn.streamId();
                }
              }

              @Override
              public void onFrameError(SpdyProtocolException error) {
                blind = true;
              }
            });
    fromBackend = new SpdyFrameWalker(STREAM_ID_BYTES, this::fromBackend);
  }

  /** The bytes the client sends toward the backend, after they were relayed. */
  void towardBackend(Buffer bytes) {
    if (blind || fromClient == null) {
      return;
    }
    try {
      fromClient.decode(bytes);
    } catch (RuntimeException e) {
      blind = true; // a reader beside a splice never breaks it: it only stops reading
    }
    if (errorStream != 0 || blind) {
      // Nothing else toward the backend matters: let zlib's state go at once.
      fromClient.close();
      fromClient = null;
    }
  }

  /** The bytes the backend sends toward the client, after they were relayed. */
  void towardClient(Buffer bytes) {
    if (blind) {
      return;
    }
    try {
      fromBackend.accept(bytes);
    } catch (RuntimeException e) {
      blind = true;
    }
  }

  private void fromBackend(SpdyFrameWalker.Head head, Buffer preview) {
    if (!head.isControl()) {
      if (head.length() > 0 || head.fin()) {
        answeredByBackend.add(head.dataStreamId());
      }
      return;
    }
    int type = head.type();
    boolean ends =
        type == SpdyConstants.TYPE_RST_STREAM
            || ((type == SpdyConstants.TYPE_SYN_REPLY || type == SpdyConstants.TYPE_HEADERS)
                && head.fin());
    if (ends && preview.length() >= STREAM_ID_BYTES) {
      answeredByBackend.add(preview.getInt(0) & SpdyConstants.MAX_STREAM_ID);
    }
  }

  /**
   * The frame to send the client before closing its connection, the backend's being gone: {@code
   * payload} on the error stream, with FIN; empty when the error stream is unknown or already
   * answered, when the client's byte stream stands in the middle of a frame, or when the watch lost
   * track.
   */
  Optional<Buffer> lastWords(Buffer payload) {
    if (blind
        || errorStream == 0
        || answeredByBackend.contains(errorStream)
        || !fromBackend.atFrameBoundary()) {
      return Optional.empty();
    }
    return Optional.of(SpdyFrameEncoder.encodeData(new SpdyFrame.Data(errorStream, true, payload)));
  }

  /** The connection ended: releases the decoder's zlib state, if still held. */
  void close() {
    if (fromClient != null) {
      fromClient.close();
      fromClient = null;
    }
  }
}
