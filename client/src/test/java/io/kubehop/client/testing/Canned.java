package io.kubehop.client.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Canned apiserver answers from {@code src/test/resources/canned}. */
public final class Canned {

  private Canned() {}

  public static String read(String name) {
    try (InputStream in = Canned.class.getResourceAsStream("/canned/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no canned answer " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Answers the Table to clients that ask for one, the plain JSON to others. */
  public static FakeApiServer.Responder byAccept(String table, String json) {
    return exchange -> {
      String accept = exchange.getRequestHeaders().getFirst("Accept");
      FakeApiServer.json(200, accept != null && accept.contains("as=Table") ? table : json)
          .respond(exchange);
    };
  }
}
