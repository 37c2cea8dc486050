package io.kubehop.client.rest;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * A response whose body is read as a stream, so that watches and log follow print as bytes arrive.
 */
public interface ApiResponse extends Closeable {

  int statusCode();

  Optional<String> header(String name);

  /** The body; read it once. Closing the response aborts an unfinished body (ends a watch). */
  InputStream body();

  default byte[] readAllBytes() throws IOException {
    try (InputStream in = body()) {
      return in.readAllBytes();
    }
  }

  @Override
  default void close() throws IOException {
    body().close();
  }
}
