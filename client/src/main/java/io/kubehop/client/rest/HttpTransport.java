package io.kubehop.client.rest;

import java.io.IOException;

/**
 * The seam between {@link RestClient} and the wire for plain (non-upgraded) requests. The JDK
 * HttpClient implements it now ({@link JdkHttpTransport}); the upgrading transports for
 * exec/attach/port-forward (SPDY and WebSocket, Vert.x based) are separate types built from the
 * same {@link ClusterConnection}.
 */
public interface HttpTransport extends AutoCloseable {

  /**
   * Sends the request and returns once the status line and headers have arrived.
   *
   * @throws ServerUnreachableException when no connection could be made
   * @throws IOException on other transport failures
   */
  ApiResponse send(ApiRequest request) throws IOException;

  @Override
  void close();
}
