package io.kubehop.apiserver.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code --audit-log-path}: one JSON object per line.
 *
 * <p>Callers run on the event loop, so {@link #write} never blocks: it offers the line to a bounded
 * queue that one daemon thread drains to the file, and a line that finds the queue full is dropped
 * and counted ({@link #dropped()}) rather than stalling requests. The file is created readable by
 * its owner only: it names users and commands.
 */
public final class AuditLog implements AutoCloseable {

  /** Lines that may wait for the writer: a burst of denials well beyond a second's worth. */
  static final int QUEUE = 10_000;

  private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());

  /** Tells the writer to stop; compared by identity, so no real line can be mistaken for it. */
  @SuppressWarnings("StringOperationCanBeSimplified")
  private static final String STOP = new String("stop");

  private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicLong dropped = new AtomicLong();
  private final Writer out;
  private final Thread writer;

  private AuditLog(Writer out) {
    this.out = out;
    this.writer = new Thread(this::drain, "apiserver-audit");
    writer.setDaemon(true);
    writer.start();
  }

  /** Opens {@code path} for appending (creating it 0600, and its directory if missing). */
  public static AuditLog open(Path path) throws IOException {
    Path dir = path.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rw-------");
    boolean posix = path.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (posix && !Files.exists(path)) {
      Files.createFile(path, PosixFilePermissions.asFileAttribute(owner));
    }
    FileChannel channel =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    if (posix) {
      Files.setPosixFilePermissions(path, owner); // also an older file someone made wider
    }
    return new AuditLog(Channels.newWriter(channel, StandardCharsets.UTF_8));
  }

  /** Queues {@code event} as one line; drops (and counts) it if the writer is too far behind. */
  public void write(ObjectNode event) {
    if (!queue.offer(ApiJson.write(event)) && dropped.incrementAndGet() == 1) {
      LOG.warning("audit log: writer behind, dropping lines (counted in dropped())");
    }
  }

  /** Lines dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  private void drain() {
    List<String> batch = new ArrayList<>();
    try {
      while (true) {
        String first = queue.take();
        batch.add(first);
        queue.drainTo(batch);
        boolean stop = false;
        for (String line : batch) {
          if (line == STOP) {
            stop = true;
            break;
          }
          out.write(line);
          out.write('\n');
        }
        batch.clear();
        out.flush();
        if (stop) {
          return;
        }
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "audit log: cannot write, no more audit lines", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        out.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  /** Writes what is queued, then closes the file; waits at most 5 s for the writer. */
  @Override
  public void close() {
    try {
      if (!queue.offer(STOP, 5, TimeUnit.SECONDS)) {
        writer.interrupt();
      }
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (dropped.get() > 0) {
      LOG.warning("audit log: " + dropped.get() + " lines dropped");
    }
  }
}
