package io.kubehop.streaming.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes one asciicast v2 file (asciinema's format): a header object on the first line, then one
 * {@code [time, code, data]} array per line, time in seconds from the start with six decimals.
 *
 * <p>Event codes: {@code o} output, {@code i} input, {@code r} a resize ({@code "WxH"}), {@code m}
 * a marker, and {@code x} the exit status, which asciinema writes since its version 3 and which v2
 * players skip, as they skip every code but {@code o}. The header keeps the v2 fields ({@code
 * version}, {@code width}, {@code height}, {@code timestamp}, {@code command}, {@code title}) and
 * adds the session's own ({@code session}, {@code subresource}, {@code pod}, {@code container},
 * {@code user}), which players ignore.
 */
final class Asciicast implements Closeable {

  /** The size a session without a terminal is written with, as a terminal's default. */
  static final int DEFAULT_WIDTH = 80;

  static final int DEFAULT_HEIGHT = 24;

  private static final JsonFactory JSON = JsonFactory.builder().build();

  private final JsonGenerator out;

  Asciicast(OutputStream file) throws IOException {
    this.out = JSON.createGenerator(file);
    out.setRootValueSeparator(null);
  }

  /** The first line. */
  void header(int width, int height, long epochSeconds, RecordingInfo info) throws IOException {
    out.writeStartObject();
    out.writeNumberField("version", 2);
    out.writeNumberField("width", width);
    out.writeNumberField("height", height);
    out.writeNumberField("timestamp", epochSeconds);
    if (!info.command().isEmpty()) {
      out.writeStringField("command", info.commandLine());
    }
    out.writeStringField(
        "title", "kubectl " + info.subresource() + " " + info.pod() + " -c " + info.container());
    out.writeStringField("session", info.session());
    out.writeStringField("subresource", info.subresource());
    out.writeStringField("pod", info.pod());
    out.writeStringField("container", info.container());
    if (info.user() != null) {
      out.writeStringField("user", info.user());
    }
    out.writeEndObject();
    out.writeRaw('\n');
  }

  /** An event of {@code code} with {@code data}, {@code micros} after the start. */
  void event(long micros, String code, char[] data, int offset, int length) throws IOException {
    out.writeStartArray();
    out.writeNumber(seconds(micros));
    out.writeString(code);
    out.writeString(data, offset, length);
    out.writeEndArray();
    out.writeRaw('\n');
  }

  void event(long micros, String code, String data) throws IOException {
    char[] chars = data.toCharArray();
    event(micros, code, chars, 0, chars.length);
  }

  /** Hands what is written so far to the file. */
  void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  /** {@code 1.000250}: asciinema's precision, never an exponent. */
  static String seconds(long micros) {
    long s = micros / 1_000_000;
    long fraction = micros % 1_000_000;
    String digits = Long.toString(fraction);
    return s + "." + "000000".substring(digits.length()) + digits;
  }
}
