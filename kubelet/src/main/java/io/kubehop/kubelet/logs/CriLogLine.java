package io.kubehop.kubelet.logs;

import io.vertx.core.buffer.Buffer;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * One line of a CRI log file: {@code <RFC3339Nano timestamp> <stdout|stderr> <P|F>[:flags]
 * <content>\n}. A {@code P} (partial) line continues on the next line; an {@code F} line ends the
 * message, so its content gets back the newline the runtime wrote it with.
 *
 * @param timestamp when the runtime read the bytes
 * @param stream {@code stdout} or {@code stderr}
 * @param partial whether the message continues on the next line
 * @param content the message bytes (with {@code \n} appended for a full line)
 */
public record CriLogLine(OffsetDateTime timestamp, String stream, boolean partial, Buffer content) {

  /**
   * Go's RFC3339NanoFixed, as kubelet writes timestamps in front of lines ({@code
   * timestamps=true}).
   */
  public static final DateTimeFormatter OUT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX");

  /**
   * Parses a line without its trailing {@code \n}; null if it is not in CRI format (such lines are
   * skipped).
   */
  public static CriLogLine parse(Buffer line) {
    int ts = indexOf(line, 0);
    if (ts < 0) {
      return null;
    }
    int st = indexOf(line, ts + 1);
    if (st < 0) {
      return null;
    }
    int tagEnd = indexOf(line, st + 1);
    int contentStart = tagEnd < 0 ? line.length() : tagEnd + 1;
    if (tagEnd < 0) {
      tagEnd = line.length();
    }
    OffsetDateTime time;
    try {
      time = OffsetDateTime.parse(line.getString(0, ts));
    } catch (DateTimeParseException e) {
      return null;
    }
    String stream = line.getString(ts + 1, st);
    String tag = line.getString(st + 1, tagEnd);
    boolean partial = tag.startsWith("P");
    Buffer content = line.getBuffer(contentStart, line.length());
    if (!partial) {
      content.appendByte((byte) '\n'); // getBuffer copies, so this does not touch the line
    }
    return new CriLogLine(time, stream, partial, content);
  }

  private static int indexOf(Buffer b, int from) {
    for (int i = from; i < b.length(); i++) {
      if (b.getByte(i) == ' ') {
        return i;
      }
    }
    return -1;
  }
}
