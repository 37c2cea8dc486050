package io.kubehop.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One tier process's footprint: resident memory of the process itself (its children, the pods'
 * processes, are other processes and not in it), threads, open descriptors, and the heap it still
 * reaches after a full collection.
 */
record TierStats(String tier, long rssKib, long threads, long fds, long liveHeapBytes) {

  private static final Pattern VM_RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB$");

  /** The last line of {@code jcmd PID GC.class_histogram}: instances, then bytes. */
  private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

  static TierStats of(String tier, long pid) throws IOException {
    long heap = liveHeap(pid); // first: the collection also drops garbage from the RSS reading
    Path proc = Path.of("/proc", Long.toString(pid));
    Matcher rss = VM_RSS.matcher(Files.readString(proc.resolve("status")));
    if (!rss.find()) {
      throw new IOException("no VmRSS for " + tier + " (" + pid + ")");
    }
    return new TierStats(
        tier,
        Long.parseLong(rss.group(1)),
        entries(proc.resolve("task")),
        entries(proc.resolve("fd")),
        heap);
  }

  /**
   * Bytes {@code pid} still reaches after a full collection: {@code GC.class_histogram} collects
   * and counts in one attach, where {@code GC.run} then {@code GC.heap_info} would let a busy tier
   * fill its young generation again in between.
   */
  private static long liveHeap(long pid) throws IOException {
    Process jcmd =
        new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Matcher total = TOTAL.matcher(out);
    try {
      if (jcmd.waitFor() != 0 || !total.find()) {
        throw new IOException("jcmd " + pid + " GC.class_histogram failed: " + out.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return Long.parseLong(total.group(1));
  }

  private static long entries(Path dir) throws IOException {
    try (var list = Files.list(dir)) {
      return list.count();
    }
  }

  String json() {
    return String.format(
        Locale.ROOT,
        "{\"tier\":\"%s\",\"rss_kib\":%d,\"threads\":%d,\"fds\":%d,\"live_heap_bytes\":%d}",
        tier,
        rssKib,
        threads,
        fds,
        liveHeapBytes);
  }
}
