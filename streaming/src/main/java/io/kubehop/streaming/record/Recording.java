package io.kubehop.streaming.record;

import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One session being recorded. Its methods may be called from any thread and never block: each
 * queues an event to the {@link SessionRecorder}'s writer, or counts what it had to drop. The
 * fields below the first line are the writer thread's own.
 */
public final class Recording {

  /** Events held back while a terminal session's size is not known yet, at most this many bytes. */
  static final int HOLD_LIMIT = 1 << 20;

  private final SessionRecorder recorder;
  private final RecordingInfo info;
  private final long startNanos = System.nanoTime();
  private final Instant started = Instant.now();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicBoolean terminal = new AtomicBoolean();
  private final AtomicBoolean exited = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  // The writer thread's state.
  Asciicast file;
  boolean tty;
  final List<SessionRecorder.Event> held = new ArrayList<>();
  long heldBytes;
  long reportedDrops;
  boolean finished;
  final JsonText outputText = new JsonText();
  final JsonText inputText = new JsonText();

  Recording(SessionRecorder recorder, RecordingInfo info) {
    this.recorder = recorder;
    this.info = info;
  }

  public RecordingInfo info() {
    return info;
  }

  Instant started() {
    return started;
  }

  /** Bytes of output and input that the recording lacks because the writer fell behind. */
  public long dropped() {
    return dropped.get();
  }

  void drop(long bytes) {
    dropped.addAndGet(bytes);
  }

  /** Output of the session (stdout and stderr, as a terminal shows them). */
  public void output(Buffer bytes) {
    recorder.offer(this, SessionRecorder.Code.OUTPUT, micros(), bytes, null);
  }

  /** Input to the session (stdin). */
  public void input(Buffer bytes) {
    recorder.offer(this, SessionRecorder.Code.INPUT, micros(), bytes, null);
  }

  /**
   * The session has a terminal: the header waits for its first size, which the client sends as soon
   * as the streams are open.
   */
  public void terminal() {
    if (terminal.compareAndSet(false, true)) {
      recorder.offer(this, SessionRecorder.Code.TERMINAL, micros(), null, null);
    }
  }

  /** The terminal's size: the header's if it is the first, else an {@code r} event. */
  public void resize(int width, int height) {
    recorder.offer(this, SessionRecorder.Code.RESIZE, micros(), null, width + "x" + height);
  }

  /** The command's exit code; once. */
  public void exit(int code) {
    if (exited.compareAndSet(false, true)) {
      recorder.offer(this, SessionRecorder.Code.EXIT, micros(), null, Integer.toString(code));
    }
  }

  /** A note in the recording ({@code m}), e.g. why the session ended without an exit code. */
  public void mark(String text) {
    recorder.offer(this, SessionRecorder.Code.MARK, micros(), null, text);
  }

  /** The session ended: the file is written out and closed. Idempotent. */
  public void close() {
    if (closed.compareAndSet(false, true)) {
      recorder.offer(this, SessionRecorder.Code.CLOSE, micros(), null, null);
    }
  }

  private long micros() {
    return (System.nanoTime() - startNanos) / 1000;
  }
}
