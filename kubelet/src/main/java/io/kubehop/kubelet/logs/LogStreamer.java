package io.kubehop.kubelet.logs;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerResponse;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Copies one CRI log file to an HTTP response as the kubelet's {@code /containerLogs} does: only
 * the message bytes, partial lines joined, filtered by since, cut by limitBytes, optionally
 * prefixed by timestamps; with follow, the file is tailed (polled every {@value #POLL_MS} ms) until
 * the container has exited and the file is drained.
 *
 * <p>All file I/O is asynchronous (AsyncFile reads at explicit positions); the next read is issued
 * only when the response can take more, so a slow reader holds at most one chunk in memory.
 */
public final class LogStreamer {

  static final int POLL_MS = 100;
  private static final int CHUNK = 64 * 1024;

  /**
   * A line longer than this without a newline is passed on as it is rather than buffered further.
   */
  private static final int MAX_CARRY = 1024 * 1024;

  private final Vertx vertx;
  private final Path file;
  private final LogOptions options;
  private final HttpServerResponse response;
  private final Supplier<Future<Boolean>> containerExited;
  private final Promise<Void> done = Promise.promise();
  private AsyncFile in;
  private long position;
  private Buffer carry = Buffer.buffer();
  private long remaining;
  private boolean atLineStart = true;
  private boolean closed;

  /**
   * @param containerExited asks the runtime whether the container has exited (ends a follow)
   */
  public LogStreamer(
      Vertx vertx,
      Path file,
      LogOptions options,
      HttpServerResponse response,
      Supplier<Future<Boolean>> containerExited) {
    this.vertx = vertx;
    this.file = file;
    this.options = options;
    this.response = response;
    this.containerExited = containerExited;
    this.remaining = options.limitBytes() == null ? Long.MAX_VALUE : options.limitBytes();
  }

  /** Streams and ends the response; the future completes when done (or the client went away). */
  public Future<Void> start() {
    response.closeHandler(v -> finish());
    vertx
        .executeBlocking(
            () ->
                options.tailLines() == null
                    ? 0L
                    : LogTail.startOfLastLines(file, options.tailLines()))
        .compose(
            start -> {
              position = start;
              return vertx
                  .fileSystem()
                  .open(file.toString(), new OpenOptions().setRead(true).setCreate(false));
            })
        .onSuccess(this::opened)
        .onFailure(
            e -> {
              // No log file (yet): nothing to show, unless following, where the container may still
              // write it.
              if (options.follow()) {
                waitForFile();
              } else {
                finish();
              }
            });
    return done.future();
  }

  private void waitForFile() {
    if (closed) {
      return;
    }
    containerExited
        .get()
        .onComplete(
            ar -> {
              boolean exited = ar.failed() || ar.result();
              // Once the container has exited, one last look: it may have written the file just
              // before it ended.
              vertx.setTimer(
                  exited ? 1 : POLL_MS,
                  id ->
                      vertx
                          .fileSystem()
                          .open(file.toString(), new OpenOptions().setRead(true).setCreate(false))
                          .onSuccess(this::opened)
                          .onFailure(
                              e -> {
                                if (exited) {
                                  finish();
                                } else {
                                  waitForFile();
                                }
                              }));
            });
  }

  private void opened(AsyncFile f) {
    if (closed) {
      f.close(); // the client left while the file was being opened
      return;
    }
    in = f;
    readNext();
  }

  private void readNext() {
    if (closed) {
      return;
    }
    in.read(Buffer.buffer(CHUNK), 0, position, CHUNK)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                finish();
                return;
              }
              Buffer chunk = ar.result();
              if (chunk.length() > 0) {
                position += chunk.length();
                consume(chunk);
                if (closed) {
                  return;
                }
                if (response.writeQueueFull()) {
                  response.drainHandler(v -> readNext());
                } else {
                  readNext();
                }
              } else {
                atEndOfFile();
              }
            });
  }

  /**
   * At EOF: done unless following; when following, done once the container exited and a last read
   * finds nothing.
   */
  private void atEndOfFile() {
    if (!options.follow()) {
      finish();
      return;
    }
    containerExited
        .get()
        .onComplete(
            ar -> {
              boolean exited = ar.failed() || ar.result();
              if (!exited) {
                vertx.setTimer(POLL_MS, id -> readNext());
                return;
              }
              // The container is gone, but it may have written more between our last read and the
              // status call.
              in.read(Buffer.buffer(CHUNK), 0, position, CHUNK)
                  .onComplete(
                      last -> {
                        if (last.succeeded() && last.result().length() > 0) {
                          position += last.result().length();
                          consume(last.result());
                          readNext();
                        } else {
                          finish();
                        }
                      });
            });
  }

  /** Splits a chunk into lines and writes their output as one response chunk. */
  private void consume(Buffer chunk) {
    carry.appendBuffer(chunk);
    Buffer out = Buffer.buffer(chunk.length());
    int lineStart = 0;
    int length = carry.length();
    for (int i = 0; i < length && remaining > out.length(); i++) {
      if (carry.getByte(i) == '\n') {
        emit(carry.getBuffer(lineStart, i), out);
        lineStart = i + 1;
      }
    }
    carry = carry.getBuffer(Math.min(lineStart, length), length);
    if (carry.length() > MAX_CARRY) {
      emit(carry, out);
      carry = Buffer.buffer();
    }
    if (out.length() >= remaining) {
      response.write(out.getBuffer(0, (int) remaining));
      remaining = 0;
      finish();
      return;
    }
    remaining -= out.length();
    if (out.length() > 0) {
      response.write(out);
    }
  }

  private void emit(Buffer rawLine, Buffer out) {
    CriLogLine line = CriLogLine.parse(rawLine);
    if (line == null || !options.wants(line.stream())) {
      return;
    }
    if (options.since() != null && line.timestamp().toInstant().isBefore(options.since())) {
      return;
    }
    if (options.timestamps() && atLineStart) {
      out.appendString(CriLogLine.OUT.format(line.timestamp())).appendByte((byte) ' ');
    }
    atLineStart = !line.partial();
    out.appendBuffer(line.content());
  }

  private void finish() {
    if (closed) {
      return;
    }
    closed = true;
    if (in != null) {
      in.close();
    }
    if (!response.ended() && !response.closed()) {
      response.end();
    }
    done.tryComplete();
  }
}
