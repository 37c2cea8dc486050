package io.kubehop.client.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Plays an asciicast v2 recording: writes each output ({@code o}) event's text at its time, as
 * {@code asciinema play} does, {@code speed} times faster and with no pause longer than {@code
 * maxWait} seconds. Input, resize, marker and exit events are not shown; the exit code is returned.
 */
public final class AsciicastPlayer {

  /** Waits {@code nanos}; the command's clock, a test's recorder. */
  @FunctionalInterface
  public interface Pause {
    void nanos(long nanos) throws InterruptedException;
  }

  /** What a file said besides its output. */
  public record Played(int width, int height, Integer exitCode) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final double speed;
  private final double maxWait;
  private final Pause pause;

  /**
   * @param speed how many times faster than recorded (1: as recorded)
   * @param maxWait the longest pause in seconds, after the speed-up; infinite for none
   */
  public AsciicastPlayer(double speed, double maxWait, Pause pause) {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("--speed must be above 0, not " + speed);
    }
    if (!(maxWait >= 0)) {
      throw new IllegalArgumentException("--max-wait must be 0 or more, not " + maxWait);
    }
    this.speed = speed;
    this.maxWait = maxWait;
    this.pause = pause;
  }

  /**
   * Plays {@code file} to {@code out}.
   *
   * @throws IOException also for a file that is not asciicast v2, saying which line
   */
  public Played play(BufferedReader file, OutputStream out)
      throws IOException, InterruptedException {
    String first = file.readLine();
    if (first == null) {
      throw new IOException("empty file: not an asciicast recording");
    }
    JsonNode header = parse(first, 1);
    if (!header.isObject() || header.path("version").asInt() != 2) {
      throw new IOException("line 1: not an asciicast v2 header");
    }
    Integer exit = null;
    double last = 0; // the recording's time of the last event
    String line;
    for (int n = 2; (line = file.readLine()) != null; n++) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode event = parse(line, n);
      if (!event.isArray() || event.size() != 3 || !event.get(0).isNumber()) {
        throw new IOException("line " + n + ": not an event [time, code, data]");
      }
      double time = event.get(0).asDouble();
      String code = event.get(1).asText();
      String data = event.get(2).asText();
      if (code.equals("o")) {
        double wait = Math.min(Math.max(0, time - last) / speed, maxWait);
        if (wait > 0) {
          out.flush();
          pause.nanos((long) (wait * 1e9));
        }
        last = time;
        out.write(data.getBytes(StandardCharsets.UTF_8));
      } else if (code.equals("x")) {
        try {
          exit = Integer.parseInt(data);
        } catch (NumberFormatException e) {
          throw new IOException("line " + n + ": exit code \"" + data + "\" is not a number");
        }
      }
    }
    out.flush();
    return new Played(header.path("width").asInt(), header.path("height").asInt(), exit);
  }

  private static JsonNode parse(String line, int n) throws IOException {
    try {
      return JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IOException("line " + n + ": not JSON: " + e.getOriginalMessage());
    }
  }
}
