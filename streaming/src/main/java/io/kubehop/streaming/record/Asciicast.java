package io.kubehop.streaming.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

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

  private final OutputStream out;
  private final JsonText.Escaped line = new JsonText.Escaped();

  Asciicast(OutputStream file) {
    this.out = new BufferedOutputStream(file, 1 << 16);
  }

  /** The first line. */
  void header(int width, int height, long epochSeconds, RecordingInfo info) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(bytes)) {
      json.writeStartObject();
      json.writeNumberField("version", 2);
      json.writeNumberField("width", width);
      json.writeNumberField("height", height);
      json.writeNumberField("timestamp", epochSeconds);
      if (!info.command().isEmpty()) {
        json.writeStringField("command", info.commandLine());
      }
      json.writeStringField(
          "title", "kubectl " + info.subresource() + " " + info.pod() + " -c " + info.container());
      json.writeStringField("session", info.session());
      json.writeStringField("subresource", info.subresource());
      json.writeStringField("pod", info.pod());
      json.writeStringField("container", info.container());
      if (info.user() != null) {
        json.writeStringField("user", info.user());
      }
      json.writeEndObject();
    }
    bytes.write('\n');
    bytes.writeTo(out);
  }

  /**
   * An event of {@code code} whose data is {@code bytes} as {@code text} reads them, {@code micros}
   * after the start; none if they end before their first whole character.
   */
  void event(long micros, String code, JsonText text, byte[] bytes) throws IOException {
    int start = open(micros, code);
    text.append(bytes, line);
    if (line.length() > start) {
      end();
    }
  }

  /** An event of {@code code} with the text {@code data}. */
  void event(long micros, String code, String data) throws IOException {
    open(micros, code);
    line.text(data);
    end();
  }

  private int open(long micros, String code) {
    line.clear();
    line.raw("[" + seconds(micros) + ",\"" + code + "\",\"");
    return line.length();
  }

  private void end() throws IOException {
    line.raw(END);
    out.write(line.bytes(), 0, line.length());
  }

  private static final byte[] END = "\"]\n".getBytes(StandardCharsets.US_ASCII);

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
