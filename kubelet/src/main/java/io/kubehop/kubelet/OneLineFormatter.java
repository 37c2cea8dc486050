package io.kubehop.kubelet;

import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One log line per event, like the other tiers: {@code kubelet 2026-01-01T00:00:00.000Z INFO
 * message}.
 */
final class OneLineFormatter extends Formatter {

  @Override
  public String format(LogRecord r) {
    String time =
        DateTimeFormatter.ISO_INSTANT.format(r.getInstant().truncatedTo(ChronoUnit.MILLIS));
    String thrown = r.getThrown() == null ? "" : " (" + r.getThrown() + ")";
    return "kubelet "
        + time
        + " "
        + r.getLevel().getName()
        + " "
        + formatMessage(r).replace('\n', ' ')
        + thrown
        + System.lineSeparator();
  }
}
