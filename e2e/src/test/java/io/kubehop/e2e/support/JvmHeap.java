package io.kubehop.e2e.support;

import io.kubehop.testkit.Commands;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.Tools;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tier's live heap, read with the JDK's {@code jcmd}: {@code GC.class_histogram} collects fully
 * and then counts what is left, in one step. ({@code GC.run} followed by {@code GC.heap_info} is
 * two attaches apart, and a tier moving 100 MB/s has filled its young generation again by the
 * second one.)
 */
public final class JvmHeap {

  private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

  private JvmHeap() {}

  /** Bytes of the objects {@code pid} still reaches after a full collection. */
  public static long live(long pid) {
    ProcessResult histogram =
        Commands.run(
            List.of(Tools.onPath("jcmd").toString(), Long.toString(pid), "GC.class_histogram"),
            Map.of(),
            null,
            Duration.ofSeconds(60));
    Matcher m = TOTAL.matcher(histogram.stdout());
    if (histogram.exitCode() != 0 || !m.find()) {
      throw new AssertionError("jcmd " + pid + " GC.class_histogram: " + histogram.exitCode());
    }
    return Long.parseLong(m.group(1));
  }
}
