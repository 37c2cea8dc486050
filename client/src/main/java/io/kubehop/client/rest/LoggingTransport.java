package io.kubehop.client.rest;

import java.io.IOException;
import java.io.PrintStream;

/**
 * Decorates a transport to log each request to stderr, like kubectl's {@code -v=6}: {@code GET
 * http://127.0.0.1:6443/api/v1/namespaces/default/pods?limit=500 200 OK in 3 milliseconds}. At
 * level 8 the request headers are logged too.
 */
public final class LoggingTransport implements HttpTransport {

  private final HttpTransport delegate;
  private final ClusterConnection connection;
  private final PrintStream log;
  private final int level;

  public LoggingTransport(
      HttpTransport delegate, ClusterConnection connection, PrintStream log, int level) {
    this.delegate = delegate;
    this.connection = connection;
    this.log = log;
    this.level = level;
  }

  @Override
  public ApiResponse send(ApiRequest request) throws IOException {
    String url = connection.resolve(request.pathAndQuery()).toString();
    if (level >= 8) {
      request.headers().forEach((k, v) -> log.println("Request Header: " + k + ": " + v));
    }
    long start = System.nanoTime();
    try {
      ApiResponse response = delegate.send(request);
      log.println(
          request.method()
              + " "
              + url
              + " "
              + response.statusCode()
              + " "
              + reason(response.statusCode())
              + " in "
              + (System.nanoTime() - start) / 1_000_000
              + " milliseconds");
      return response;
    } catch (IOException e) {
      log.println(
          request.method()
              + " "
              + url
              + "  in "
              + (System.nanoTime() - start) / 1_000_000
              + " milliseconds: "
              + e.getMessage());
      throw e;
    }
  }

  private static String reason(int code) {
    return switch (code) {
      case 200 -> "OK";
      case 201 -> "Created";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 409 -> "Conflict";
      case 422 -> "Unprocessable Entity";
      case 500 -> "Internal Server Error";
      default -> "";
    };
  }

  @Override
  public void close() {
    delegate.close();
  }
}
