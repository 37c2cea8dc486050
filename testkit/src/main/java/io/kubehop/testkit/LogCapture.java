package io.kubehop.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * A {@code java.util.logging} handler that keeps what it is given, for tests that assert a tier's
 * log lines. Add it to the logger under test and remove it afterwards; the lists are live and safe
 * to read from any thread.
 */
public final class LogCapture extends Handler {

  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final List<String> messages = new CopyOnWriteArrayList<>();

  @Override
  public void publish(LogRecord record) {
    records.add(record);
    messages.add(record.getMessage());
  }

  /** Every record so far, in order. */
  public List<LogRecord> records() {
    return records;
  }

  /** The unformatted message of every record so far, in order. */
  public List<String> messages() {
    return messages;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
