package io.kubehop.capture;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Follows one proxied connection: the client's request head, the server's response head, and after
 * a {@code 101 Switching Protocols} the frames of both directions, written to a {@link CaptureFile}
 * in the order they pass the proxy. A connection whose first request is no upgrade is passed
 * through unrecorded: client-go, like every client seen, dials a fresh connection for each upgrade,
 * so an upgrade is always its connection's first request. A refused upgrade is logged and not
 * recorded either. SPDY tunnelled in WebSocket ({@code SPDY/3.1+portforward.k8s.io}) is written as
 * SPDY frames, reassembled from the binary messages, which split frames anywhere (kubectl's first
 * message is just {@code 80 03}). Both directions call in; the methods are synchronized, so a frame
 * is always written after the frames that arrived before it.
 */
final class ConnectionRecorder {

  /** Where an upgraded connection's capture goes; {@code kind} is {@code spdy} or {@code ws}. */
  interface Destination {
    Path next(String kind, String verb);
  }

  /**
   * Larger heads are not HTTP as kubectl speaks it; the connection is then passed through
   * unrecorded.
   */
  private static final int MAX_HEAD = 64 * 1024;

  private enum State {
    REQUEST_HEAD,
    RESPONSE_HEAD,
    FRAMES,
    NOT_RECORDED
  }

  private final Destination destination;
  private final Consumer<String> log;

  /** What each side sent before the upgrade completed. */
  private final Map<Direction, Bytes> early =
      new EnumMap<>(
          Map.of(Direction.CLIENT_TO_SERVER, new Bytes(), Direction.SERVER_TO_CLIENT, new Bytes()));

  private final Map<Direction, FrameSplitter> splitters = new EnumMap<>(Direction.class);

  /**
   * For SPDY tunnelled in WebSocket: the SPDY frames, reassembled from messages that split them
   * anywhere.
   */
  private final Map<Direction, FrameSplitter> tunnelled = new EnumMap<>(Direction.class);

  private State state = State.REQUEST_HEAD;
  private HttpHead request;
  private long requestBody;
  private CaptureFile file;

  ConnectionRecorder(Destination destination, Consumer<String> log) {
    this.destination = destination;
    this.log = log;
  }

  synchronized void onBytes(Direction direction, byte[] bytes, int offset, int count) {
    try {
      switch (state) {
        case NOT_RECORDED -> {}
        case FRAMES -> record(direction, bytes, offset, count);
        default -> {
          early.get(direction).append(bytes, offset, count);
          advance();
        }
      }
    } catch (RuntimeException e) {
      // Whatever the bytes are, the proxy must go on forwarding them; only the recording stops.
      log.accept("recording stops: " + e);
      state = State.NOT_RECORDED;
    }
  }

  /** Both directions have ended: finishes the file, noting any frame a side left incomplete. */
  synchronized void onClosed() {
    if (state != State.FRAMES) {
      state = State.NOT_RECORDED;
      return;
    }
    try {
      for (Map<Direction, FrameSplitter> layer : List.of(splitters, tunnelled)) {
        for (Map.Entry<Direction, FrameSplitter> e : layer.entrySet()) {
          byte[] rest = e.getValue().pending();
          if (rest.length > 0) {
            file.comment(
                e.getKey().wire()
                    + " ended inside a frame, "
                    + rest.length
                    + " bytes: "
                    + FrameSplitter.HEX.formatHex(rest));
          }
        }
      }
      file.close();
      log.accept("wrote " + file.path() + " (" + file.frames() + " frames)");
    } catch (IOException e) {
      log.accept("writing " + file.path() + " failed: " + e);
    }
    state = State.NOT_RECORDED;
  }

  private void advance() {
    Bytes client = early.get(Direction.CLIENT_TO_SERVER);
    Bytes server = early.get(Direction.SERVER_TO_CLIENT);
    if (state == State.REQUEST_HEAD) {
      request = head(client);
      if (request == null) {
        return;
      }
      if (!request.isUpgradeRequest()) {
        state = State.NOT_RECORDED;
        return;
      }
      requestBody = contentLength(request);
      state = State.RESPONSE_HEAD;
    }
    // An upgrade request has no body in practice (kubectl's SPDY POST sends Content-Length: 0);
    // skip one if sent.
    int skip = (int) Math.min(requestBody, client.length);
    client.drop(skip);
    requestBody -= skip;
    if (state == State.RESPONSE_HEAD) {
      HttpHead response = head(server);
      if (response == null) {
        return;
      }
      upgraded(response);
      if (state == State.FRAMES) {
        record(Direction.CLIENT_TO_SERVER, client.bytes, 0, client.length);
        record(Direction.SERVER_TO_CLIENT, server.bytes, 0, server.length);
      }
      early.clear();
    }
  }

  /**
   * The head at the start of {@code b}, dropped from it; null while incomplete (or never, if it
   * grows too large).
   */
  private HttpHead head(Bytes b) {
    int end = HttpHead.end(b.bytes, b.length);
    if (end < 0) {
      if (b.length > MAX_HEAD) {
        state = State.NOT_RECORDED;
      }
      return null;
    }
    HttpHead head = HttpHead.parse(b.bytes, end);
    b.drop(end);
    return head;
  }

  private void upgraded(HttpHead response) {
    String what = request.method() + " " + request.path();
    if (response.status() != 101) {
      log.accept(what + ": " + response.startLine() + ", not recorded");
      state = State.NOT_RECORDED;
      return;
    }
    String upgrade = response.value("Upgrade").toLowerCase(Locale.ROOT);
    boolean spdy = upgrade.startsWith("spdy/");
    if (!spdy && !upgrade.equals("websocket")) {
      log.accept(
          what
              + ": upgrade to "
              + response.value("Upgrade")
              + " is neither SPDY nor WebSocket, not recorded");
      state = State.NOT_RECORDED;
      return;
    }
    String protocolHeader = spdy ? "X-Stream-Protocol-Version" : "Sec-WebSocket-Protocol";
    String protocol = response.value(protocolHeader);
    boolean tunnel = !spdy && protocol.toLowerCase(Locale.ROOT).startsWith("spdy/");
    for (Direction d : Direction.values()) {
      splitters.put(
          d, spdy ? new SpdyFrameSplitter() : new WebSocketFrameSplitter(protocol, request.path()));
      if (tunnel) {
        tunnelled.put(d, new SpdyFrameSplitter());
      }
    }
    String path = request.path();
    Path target = destination.next(spdy ? "spdy" : "ws", path.substring(path.lastIndexOf('/') + 1));
    try {
      file = new CaptureFile(target, comments(response, spdy, tunnel, protocolHeader, protocol));
    } catch (IOException e) {
      log.accept(what + ": cannot write " + target + ": " + e);
      state = State.NOT_RECORDED;
      return;
    }
    log.accept(
        "recording " + what + " (" + response.value("Upgrade") + " " + protocol + ") to " + target);
    state = State.FRAMES;
  }

  private List<String> comments(
      HttpHead response, boolean spdy, boolean tunnel, String protocolHeader, String protocol) {
    List<String> comments = new ArrayList<>();
    comments.add(request.method() + " " + request.target());
    if (!request.line("User-Agent").isEmpty()) {
      comments.add("User-Agent: " + request.line("User-Agent"));
    }
    comments.add(
        "Upgrade: "
            + request.value("Upgrade")
            + ", offered: "
            + String.join(", ", request.values(protocolHeader)));
    comments.add(response.startLine() + ", " + protocolHeader + ": " + protocol);
    comments.add(
        "Recorded by bin/capture-wire; docs/wire-captures.md says how to read and recapture it.");
    String spdyFrames =
        "the whole frame in hex (8-byte header included)."
            + " C>S header blocks share the client's zlib context, S>C the server's.";
    if (spdy) {
      comments.add("One frame per line: direction, label, " + spdyFrames);
    } else if (tunnel) {
      comments.add(
          "SPDY/3.1 in WebSocket binary messages, which split frames anywhere: one SPDY frame per line,"
              + " reassembled: direction, label, "
              + spdyFrames
              + " Other WebSocket frames: their unmasked payload.");
    } else {
      comments.add(
          "One frame per line: direction, label, the unmasked payload in hex (frame header and mask key left"
              + " out).");
    }
    return comments;
  }

  private void record(Direction direction, byte[] bytes, int offset, int count) {
    FrameSplitter splitter = splitters.get(direction);
    if (splitter == null || count == 0) {
      return;
    }
    try {
      try {
        for (CapturedFrame frame : splitter.feed(bytes, offset, count)) {
          FrameSplitter inner = tunnelled.get(direction);
          // A tunnel's data messages are labelled binary (or continuation), having no channel byte.
          if (inner != null
              && (frame.label().startsWith("binary") || frame.label().startsWith("continuation"))) {
            byte[] spdy = FrameSplitter.HEX.parseHex(frame.hex());
            for (CapturedFrame f : inner.feed(spdy, 0, spdy.length)) {
              file.frame(direction, f);
            }
          } else {
            file.frame(direction, frame);
          }
        }
      } catch (IllegalStateException e) {
        file.comment(
            direction.wire()
                + " "
                + e.getMessage()
                + "; the rest of this direction is not recorded");
        splitters.remove(direction);
      }
    } catch (IOException e) {
      log.accept("writing " + file.path() + " failed, recording stops: " + e);
      splitters.clear();
    }
  }

  private static long contentLength(HttpHead head) {
    try {
      return Math.max(0, Long.parseLong(head.value("Content-Length")));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** A growable byte array with a cheap drop from the front. */
  private static final class Bytes {
    byte[] bytes = new byte[4096];
    int length;

    void append(byte[] b, int offset, int count) {
      if (length + count > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
      }
      System.arraycopy(b, offset, bytes, length, count);
      length += count;
    }

    void drop(int count) {
      System.arraycopy(bytes, count, bytes, 0, length - count);
      length -= count;
    }
  }
}
