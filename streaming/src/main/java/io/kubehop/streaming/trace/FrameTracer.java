package io.kubehop.streaming.trace;

import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * One tier's frame trace ({@code --trace-frames[=SESSION|all]}): which sessions it covers, and the
 * JSON-lines file it appends to. Events go through a bounded queue to a writer thread of their own,
 * so an event loop never waits on the disk; when the queue is full an event is dropped and counted
 * (the file's writer then notes how many, so a gap is never silent). The last {@value #RECENT}
 * events also stay in memory, numbered, for {@code GET /debug/frames} ({@link #recent}).
 */
public final class FrameTracer implements AutoCloseable {

  /** Traces nothing. */
  public static final FrameTracer OFF = new FrameTracer();

  /** The value of {@code --trace-frames} without a session: every session. */
  public static final String ALL = "all";

  private static final Logger LOG = Logger.getLogger(FrameTracer.class.getName());
  private static final int QUEUE = 16_384;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  /** How many of the latest events {@link #recent} can return. */
  public static final int RECENT = 4096;

  private final String tier;
  private final String sessions;
  private final BlockingQueue<JsonObject> queue;
  private final AtomicLong dropped = new AtomicLong();
  private final ArrayDeque<JsonObject> recent = new ArrayDeque<>();
  private long seq;
  private final Thread writer;
  private volatile boolean closed;

  private FrameTracer() {
    this.tier = null;
    this.sessions = null;
    this.queue = null;
    this.writer = null;
  }

  private FrameTracer(String tier, String sessions, Path file) {
    this.tier = tier;
    this.sessions = sessions;
    this.queue = new ArrayBlockingQueue<>(QUEUE);
    BufferedWriter out;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      out =
          Files.newBufferedWriter(
              file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write frame trace " + file, e);
    }
    this.writer = new Thread(() -> write(out), tier + "-frame-trace");
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * A tracer of {@code tier} for {@code sessions} ({@link #ALL} or one session id), appending to
   * {@code file}.
   */
  public static FrameTracer to(Path file, String tier, String sessions) {
    return new FrameTracer(tier, sessions, file);
  }

  /**
   * Now, as an event's {@code time}: UTC with exactly six fraction digits, so that the text sorts
   * in time order ({@link java.time.Instant#toString} drops trailing zero groups).
   */
  static String now() {
    return TIME.format(Instant.now());
  }

  /** Whether frames of session {@code id} are traced. */
  public boolean traces(String id) {
    return sessions != null && !closed && (sessions.equals(ALL) || sessions.equals(id));
  }

  /** The tier that writes this trace. */
  public String tier() {
    return tier;
  }

  /** Events dropped because the writer fell behind. */
  public long dropped() {
    return dropped.get();
  }

  void record(JsonObject event) {
    if (queue == null || closed) {
      return;
    }
    synchronized (recent) {
      event.put("tier", tier).put("seq", ++seq);
      if (recent.size() == RECENT) {
        recent.removeFirst();
      }
      recent.addLast(event);
    }
    if (!queue.offer(event)) {
      dropped.incrementAndGet();
    }
  }

  /**
   * The remembered events of session {@code session} numbered above {@code after}, oldest first
   * (each event's {@code seq}, counted per tier from 1).
   */
  public List<JsonObject> recent(String session, long after) {
    synchronized (recent) {
      return recent.stream()
          .filter(e -> e.getLong("seq") > after && session.equals(e.getString("session")))
          .toList();
    }
  }

  /** Whether this tracer traces anything at all. */
  public boolean on() {
    return queue != null;
  }

  private void write(BufferedWriter out) {
    long reported = 0;
    List<JsonObject> batch = new ArrayList<>();
    try (out) {
      while (!closed || !queue.isEmpty()) {
        JsonObject first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, 1023);
        long lost = dropped.get();
        if (lost > reported) {
          out.write(new JsonObject().put("tier", tier).put("dropped", lost - reported).encode());
          out.newLine();
          reported = lost;
        }
        for (JsonObject event : batch) {
          out.write(event.encode());
          out.newLine();
        }
        batch.clear();
        out.flush();
      }
    } catch (IOException e) {
      closed = true; // the disk failed: stop tracing rather than queue forever
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops tracing and writes out what is queued (waiting at most a few seconds). */
  @Override
  public void close() {
    if (writer == null || closed) {
      return;
    }
    closed = true;
    try {
      writer.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
