package io.kubehop.client.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.core.WatchEvent;
import io.kubehop.api.json.ApiJson;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A watch response read as JSON lines ({@code {"type":…,"object":…}}), one event per line. {@link
 * #next()} blocks until an event arrives and is empty when the server ends the stream. {@link
 * #close()} may be called from another thread to end a blocked read (that is how a deadline ends a
 * watch).
 */
public final class WatchStream implements Closeable {

  private final ApiResponse response;
  private final BufferedReader reader;

  WatchStream(ApiResponse response) {
    this.response = response;
    this.reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
  }

  /** The next event, or empty at the end of the stream. */
  public Optional<WatchEvent> next() throws IOException {
    String line;
    do {
      line = reader.readLine();
      if (line == null) {
        return Optional.empty();
      }
    } while (line.isBlank());
    JsonNode node = ApiJson.mapper().readTree(line);
    return Optional.of(new WatchEvent(node.path("type").asText(), node.path("object")));
  }

  @Override
  public void close() throws IOException {
    response.close();
  }
}
