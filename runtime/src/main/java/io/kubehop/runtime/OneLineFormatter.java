package io.kubehop.runtime;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * java.util.logging in one line per event, prefixed by the tier name: {@code runtime 2026-…Z INFO
 * message}.
 */
public final class OneLineFormatter extends Formatter {

  private final String tier;

  public OneLineFormatter(String tier) {
    this.tier = tier;
  }

  @Override
  public String format(LogRecord record) {
    StringBuilder line =
        new StringBuilder()
            .append(tier)
            .append(' ')
            .append(Instant.ofEpochMilli(record.getMillis()))
            .append(' ')
            .append(record.getLevel().getName())
            .append(' ')
            .append(formatMessage(record));
    if (record.getThrown() != null && record.getLevel().intValue() >= Level.SEVERE.intValue()) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
    }
    return line.append(System.lineSeparator()).toString();
  }

  /** Replaces the root handlers with one that writes this format to stdout. */
  public static void install(String tier) {
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      if (handler instanceof ConsoleHandler) {
        root.removeHandler(handler);
      }
    }
    Handler stdout =
        new StreamHandler(System.out, new OneLineFormatter(tier)) {
          @Override
          public synchronized void publish(LogRecord record) {
            super.publish(record);
            flush();
          }
        };
    // loggers decide (INFO by default): -Djava.util.logging.config.file=… can turn a package up to
    // FINE
    stdout.setLevel(Level.ALL);
    root.addHandler(stdout);
  }
}
