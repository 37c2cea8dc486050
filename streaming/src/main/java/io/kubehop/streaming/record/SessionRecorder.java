package io.kubehop.streaming.record;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The apiserver's session recorder ({@code --record-sessions DIR}): one asciicast v2 file per exec
 * or attach session, {@code DIR/<session>.cast}, readable by its owner only (it holds keystrokes).
 *
 * <p>Recording never slows a session: a {@link Recording} only queues its events, and a writer
 * thread of this recorder's own turns them into lines. The queue holds at most {@value #BUDGET}
 * bytes of output and input; what does not fit is dropped and counted, per recording, and the file
 * says so in an {@code m} event. Each line is flushed with its batch, so the file is valid however
 * the session ends, a reset included.
 */
public final class SessionRecorder implements AutoCloseable {

  /** Records nothing. */
  public static final SessionRecorder OFF = new SessionRecorder();

  /** Bytes of output and input queued toward the writer, at most. */
  static final long BUDGET = 8L << 20;

  /** What a resize, a marker or an exit weighs against the budget. */
  private static final int SMALL_EVENT = 64;

  private static final Logger LOG = Logger.getLogger(SessionRecorder.class.getName());

  enum Code {
    OUTPUT("o"),
    INPUT("i"),
    RESIZE("r"),
    MARK("m"),
    EXIT("x"),
    /** The session has a terminal; not written. */
    TERMINAL(null),
    /** The session ended; not written. */
    CLOSE(null);

    final String asciicast;

    Code(String asciicast) {
      this.asciicast = asciicast;
    }
  }

  record Event(Recording recording, Code code, long micros, Buffer data, String text) {
    int weight() {
      return data != null ? data.length() : (text != null ? SMALL_EVENT : 0);
    }
  }

  private final Path dir;
  private final long budget;
  private final BlockingQueue<Event> queue;
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final Thread writer;
  private volatile boolean closed;

  private SessionRecorder() {
    this.dir = null;
    this.budget = 0;
    this.queue = null;
    this.writer = null;
  }

  private SessionRecorder(Path dir, long budget) {
    this.dir = dir;
    this.budget = budget;
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record sessions in " + dir, e);
    }
    this.queue = new LinkedBlockingQueue<>();
    this.writer = new Thread(this::write, "session-recorder");
    writer.setDaemon(true);
    writer.start();
  }

  /** A recorder writing into {@code dir}, which it creates if needed. */
  public static SessionRecorder to(Path dir) {
    return new SessionRecorder(dir, BUDGET);
  }

  /** A recorder whose queue holds at most {@code budget} bytes (a test's small one). */
  static SessionRecorder to(Path dir, long budget) {
    return new SessionRecorder(dir, budget);
  }

  /** Whether sessions are recorded at all. */
  public boolean on() {
    return queue != null && !closed;
  }

  /** The directory the recordings go to; null when {@link #OFF}. */
  public Path dir() {
    return dir;
  }

  /**
   * Starts recording the session {@code info} describes; its file appears with its first event. A
   * recorder that is off or stopped (the apiserver is going down) records nothing of it.
   */
  public Recording open(RecordingInfo info) {
    return new Recording(this, info);
  }

  /** Bytes of output and input left out of recordings because the writer fell behind. */
  public long dropped() {
    return dropped.get();
  }

  void offer(Recording recording, Code code, long micros, Buffer data, String text) {
    if (queue == null || closed) {
      return;
    }
    Event event = new Event(recording, code, micros, data, text);
    int weight = event.weight();
    if (queued.addAndGet(weight) > budget && code != Code.CLOSE && code != Code.EXIT) {
      queued.addAndGet(-weight);
      if (data != null) {
        recording.drop(weight);
        dropped.addAndGet(weight);
      }
      return;
    }
    queue.add(event);
  }

  private void write() {
    yieldTheCpu();
    List<Event> batch = new ArrayList<>();
    Set<Recording> touched = new HashSet<>();
    Set<Recording> open = new HashSet<>();
    while (!closed || !queue.isEmpty()) {
      try {
        Event first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      queue.drainTo(batch, 1023);
      for (Event e : batch) {
        queued.addAndGet(-e.weight());
        Recording r = e.recording();
        try {
          if (handle(e)) {
            touched.add(r);
            open.add(r);
          } else {
            open.remove(r);
          }
        } catch (IOException | UncheckedIOException failure) {
          LOG.log(Level.WARNING, "recording of session " + r.info().session() + " failed", failure);
          abandon(r);
          open.remove(r);
        }
      }
      batch.clear();
      for (Recording r : touched) {
        if (r.file != null) {
          try {
            r.file.flush();
          } catch (IOException failure) {
            LOG.log(
                Level.WARNING, "recording of session " + r.info().session() + " failed", failure);
            abandon(r);
            open.remove(r);
          }
        }
      }
      touched.clear();
    }
    for (Recording r : open) { // the apiserver stops: what was recorded stays a valid file
      try {
        finish(r);
      } catch (IOException failure) {
        abandon(r);
      }
    }
  }

  /**
   * Gives this thread the lowest CPU priority (nice 19), so that it runs on what the sessions leave
   * idle rather than beside them: a bulk session keeps the cores busy, and a writer at equal
   * priority took a fifth of its throughput (bench/run.sh --only recording). Linux only: a thread
   * is a task with an id of its own there, which {@code /proc/thread-self} names and renice takes.
   */
  private static void yieldTheCpu() {
    try {
      String tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
      Process renice =
          new ProcessBuilder("renice", "-n", "19", "-p", tid)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!renice.waitFor(10, TimeUnit.SECONDS) || renice.exitValue() != 0) {
        LOG.warning("renice of the session recorder failed; it runs at normal priority");
      }
    } catch (IOException | UnsupportedOperationException e) {
      LOG.warning("cannot lower the session recorder's priority (" + e + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes or holds {@code e}; false once its recording is finished. */
  private boolean handle(Event e) throws IOException {
    Recording r = e.recording();
    if (r.finished) {
      return false;
    }
    if (r.file == null) {
      switch (e.code()) {
        case TERMINAL -> {
          r.tty = true;
          return true;
        }
        case RESIZE -> {
          String[] size = e.text().split("x");
          start(r, Integer.parseInt(size[0]), Integer.parseInt(size[1]));
          return true;
        }
        case CLOSE -> {
          finish(r);
          return false;
        }
        default -> {
          if (r.tty && r.heldBytes < Recording.HOLD_LIMIT) {
            r.held.add(e);
            r.heldBytes += e.weight();
            return true;
          }
          start(r, Asciicast.DEFAULT_WIDTH, Asciicast.DEFAULT_HEIGHT);
        }
      }
    }
    if (e.code() == Code.CLOSE) {
      finish(r);
      return false;
    }
    append(r, e);
    return true;
  }

  /** Opens the file with the header, then writes what was held back for it. */
  private void start(Recording r, int width, int height) throws IOException {
    r.file = new Asciicast(create(r.info().session()));
    r.file.header(width, height, r.started().getEpochSecond(), r.info());
    for (Event held : r.held) {
      append(r, held);
    }
    r.held.clear();
    r.heldBytes = 0;
  }

  private void append(Recording r, Event e) throws IOException {
    long lost = r.dropped();
    if (lost > r.reportedDrops) {
      r.file.event(
          e.micros(),
          Code.MARK.asciicast,
          "kubehop: "
              + (lost - r.reportedDrops)
              + " bytes not recorded here (the recorder fell behind)");
      r.reportedDrops = lost;
    }
    switch (e.code()) {
      case OUTPUT -> r.file.event(e.micros(), "o", r.outputText, e.data().getBytes());
      case INPUT -> r.file.event(e.micros(), "i", r.inputText, e.data().getBytes());
      case RESIZE, MARK, EXIT -> r.file.event(e.micros(), e.code().asciicast, e.text());
      default -> {
        // TERMINAL after the start changes nothing
      }
    }
  }

  private void finish(Recording r) throws IOException {
    if (r.finished) {
      return;
    }
    if (r.file == null) {
      start(r, Asciicast.DEFAULT_WIDTH, Asciicast.DEFAULT_HEIGHT);
    }
    long lost = r.dropped();
    if (lost > 0) {
      LOG.warning(
          "session "
              + r.info().session()
              + ": the recording lacks "
              + lost
              + " bytes (the recorder fell behind)");
    }
    r.finished = true;
    r.file.close();
  }

  private static void abandon(Recording r) {
    r.finished = true;
    if (r.file != null) {
      try {
        r.file.close();
      } catch (IOException ignored) {
        // already failing
      }
    }
  }

  private OutputStream create(String session) throws IOException {
    Path file = dir.resolve(session + ".cast");
    for (int n = 2; ; n++) { // an id may come again after a restart: never overwrite
      try {
        return Channels.newOutputStream(
            Files.newByteChannel(
                file,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------"))));
      } catch (FileAlreadyExistsException taken) {
        file = dir.resolve(session + "-" + n + ".cast");
      }
    }
  }

  /** Stops recording: the queued events are written and every open file closed. */
  @Override
  public void close() {
    if (writer == null || closed) {
      return;
    }
    closed = true;
    try {
      writer.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
