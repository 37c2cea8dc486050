package io.kubehop.kubelet;

import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/** One log line per event: {@code kubelet 12:00:00.000 INFO message}. */
final class OneLineFormatter extends Formatter {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  @Override
  public String format(LogRecord r) {
    String time = TIME.format(LocalTime.ofInstant(r.getInstant(), ZoneId.systemDefault()));
    String thrown = r.getThrown() == null ? "" : " (" + r.getThrown() + ")";
    return "kubelet " + time + " " + r.getLevel().getName() + " " + formatMessage(r).replace('\n', ' ') + thrown
        + System.lineSeparator();
  }
}
