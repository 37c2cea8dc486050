package io.kubehop.streaming.portforward.client;

import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Where a port-forward reports what goes wrong with one connection: the line kubectl 1.33 prints
 * through klog's {@code runtime.HandleError}, e.g. {@code E1203 22:43:34.123456 12345
 * portforward.go:424] "Unhandled Error" err="an error occurred forwarding 8080 -> 81: …"}, so
 * scripts that grep kubectl's stderr read kubehop's the same way.
 */
public final class ErrorLog {

  private static final DateTimeFormatter KLOG_TIME =
      DateTimeFormatter.ofPattern("MMdd HH:mm:ss.SSSSSS");

  private final PrintStream err;

  public ErrorLog(PrintStream err) {
    this.err = err;
  }

  /** One klog error line for {@code message}. */
  public void error(String message) {
    err.println(line(LocalDateTime.now(), ProcessHandle.current().pid(), message));
    err.flush();
  }

  static String line(LocalDateTime time, long pid, String message) {
    return "E"
        + KLOG_TIME.format(time)
        + String.format(" %7d", pid)
        + " portforward.go:424] \"Unhandled Error\" err="
        + GoQuote.quote(message);
  }
}
