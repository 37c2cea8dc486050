package io.kubehop.kubelet.logs;

import io.vertx.core.MultiMap;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * core/v1 PodLogOptions as the kubelet's {@code /containerLogs} takes them from the query string.
 *
 * @param follow keep streaming until the container exits
 * @param previous read the previous (terminated) attempt
 * @param timestamps prefix each line with its RFC 3339 nano timestamp
 * @param since skip lines older than this (from sinceSeconds or sinceTime), or null
 * @param tailLines the number of last lines to start from, or null for all
 * @param limitBytes stop after this many bytes, or null
 * @param stream {@code All} (null), {@code Stdout} or {@code Stderr}
 */
public record LogOptions(
    boolean follow,
    boolean previous,
    boolean timestamps,
    Instant since,
    Long tailLines,
    Long limitBytes,
    String stream) {

  /** A query that does not decode: HTTP 400 with this body (upstream's text). */
  public static final String UNDECODABLE = "{\"message\": \"Unable to decode query.\"}";

  /** Options that decode but do not validate: HTTP 422 with this body (upstream's text). */
  public static final String INVALID = "{\"message\": \"Invalid request.\"}";

  /** Thrown for a bad query; carries the status code and body to answer with. */
  public static final class BadQuery extends Exception {
    private static final long serialVersionUID = 1L;
    private final int code;

    BadQuery(int code, String body) {
      super(body, null, false, false);
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  public static LogOptions parse(MultiMap q, Instant now) throws BadQuery {
    try {
      Long sinceSeconds = number(q.get("sinceSeconds"));
      String sinceTimeText = q.get("sinceTime");
      Instant sinceTime =
          sinceTimeText == null || sinceTimeText.isEmpty()
              ? null
              : OffsetDateTime.parse(sinceTimeText).toInstant();
      Long tailLines = number(q.get("tailLines"));
      if (tailLines == null) {
        tailLines = number(q.get("tail")); // the legacy name upstream still honours
      }
      Long limitBytes = number(q.get("limitBytes"));
      String stream = q.get("stream");
      LogOptions o =
          new LogOptions(
              bool(q.get("follow")),
              bool(q.get("previous")),
              bool(q.get("timestamps")),
              sinceSeconds != null ? now.minusSeconds(sinceSeconds) : sinceTime,
              tailLines,
              limitBytes,
              stream == null || stream.equals("All") ? null : stream);
      boolean invalid =
          (sinceSeconds != null && sinceSeconds < 1)
              || (sinceSeconds != null && sinceTime != null)
              || (tailLines != null && tailLines < 0)
              || (limitBytes != null && limitBytes < 1)
              || (o.stream != null && !o.stream.equals("Stdout") && !o.stream.equals("Stderr"));
      if (invalid) {
        throw new BadQuery(422, INVALID);
      }
      return o;
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new BadQuery(400, UNDECODABLE);
    }
  }

  private static Long number(String s) {
    return s == null || s.isEmpty() ? null : Long.parseLong(s);
  }

  /**
   * upstream's Convert_Slice_string_To_bool: {@code 0}, {@code f}, {@code false} (any case) are
   * false, all else true.
   */
  private static boolean bool(String s) {
    if (s == null) {
      return false;
    }
    return !(s.equals("0") || s.equalsIgnoreCase("f") || s.equalsIgnoreCase("false"));
  }

  /** Whether a line of the given CRI stream ({@code stdout}/{@code stderr}) is wanted. */
  boolean wants(String criStream) {
    return stream == null || stream.equalsIgnoreCase(criStream);
  }
}
