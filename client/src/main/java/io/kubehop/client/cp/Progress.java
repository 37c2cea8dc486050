package io.kubehop.client.cp;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The progress of a copy: bytes so far, the total when known, and the average throughput. {@link
 * #onTerminal} redraws one line in place on stderr at most ten times a second; {@link #NONE} (piped
 * stderr, {@code -q}) counts nothing and prints nothing.
 */
public class Progress implements AutoCloseable {

  /** Progress that is not shown. */
  public static final Progress NONE = new Progress();

  private static final long REDRAW_MILLIS = 100;
  private static final int BAR_WIDTH = 24;

  private Progress() {}

  /** Counts {@code n} more bytes copied. */
  public void add(long n) {}

  /** The total bytes expected, or -1 when unknown. */
  public void expect(long total) {}

  /** Clears the line so that other output (the remote tar's messages) starts on a clean one. */
  public void clearLine() {}

  /** Draws the final state and ends the line. */
  @Override
  public void close() {}

  /** A progress line redrawn on {@code err}, a terminal. */
  public static Progress onTerminal(PrintStream err, String label, LongSupplier nanoClock) {
    return new Shown(err, label, nanoClock);
  }

  /** {@code 512.0 MiB}: IEC units with one decimal, bytes as they are. */
  static String bytes(double n) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (n >= 1024 && u < units.length - 1) {
      n /= 1024;
      u++;
    }
    return u == 0
        ? String.format(Locale.ROOT, "%d B", (long) n)
        : String.format(Locale.ROOT, "%.1f %s", n, units[u]);
  }

  /** One line: label, bar and percentage when the total is known, bytes, throughput. */
  static String line(String label, long done, long total, long elapsedNanos) {
    StringBuilder b = new StringBuilder(label).append(' ');
    if (total > 0) {
      int filled = (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
      b.append('[')
          .append("=".repeat(filled))
          .append(filled < BAR_WIDTH ? ">" : "")
          .append(" ".repeat(Math.max(0, BAR_WIDTH - filled - 1)))
          .append("] ")
          .append(String.format(Locale.ROOT, "%3d%% ", Math.min(100, done * 100 / total)))
          .append(bytes(done))
          .append(" / ")
          .append(bytes(total));
    } else {
      b.append(bytes(done));
    }
    double seconds = elapsedNanos / 1e9;
    if (seconds > 0) {
      b.append("  ").append(bytes(done / seconds)).append("/s");
    }
    return b.toString();
  }

  private static final class Shown extends Progress {
    private final PrintStream err;
    private final String label;
    private final LongSupplier clock;
    private final long start;
    private final AtomicLong done = new AtomicLong();
    private volatile long total = -1;
    private final ScheduledExecutorService redraw;
    private long drawn = -1;

    Shown(PrintStream err, String label, LongSupplier clock) {
      this.err = err;
      this.label = label;
      this.clock = clock;
      this.start = clock.getAsLong();
      this.redraw =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "cp-progress");
                t.setDaemon(true);
                return t;
              });
      redraw.scheduleAtFixedRate(this::draw, 0, REDRAW_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void add(long n) {
      done.addAndGet(n);
    }

    @Override
    public void expect(long total) {
      this.total = total;
    }

    @Override
    public synchronized void clearLine() {
      err.print("\r\033[K");
      err.flush();
      drawn = -1;
    }

    private synchronized void draw() {
      long now = done.get();
      if (now == drawn && drawn >= 0) {
        return;
      }
      drawn = now;
      err.print("\r" + line(label, now, total, clock.getAsLong() - start) + "\033[K");
      err.flush();
    }

    @Override
    public void close() {
      redraw.shutdownNow();
      synchronized (this) {
        drawn = -1;
        draw();
        err.println();
        err.flush();
      }
    }
  }
}
