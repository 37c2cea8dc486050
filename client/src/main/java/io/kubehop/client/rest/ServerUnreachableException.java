package io.kubehop.client.rest;

import java.io.IOException;

/**
 * The apiserver could not be reached at all; the message is what kubectl prints for the same
 * failure.
 */
public final class ServerUnreachableException extends IOException {

  private static final long serialVersionUID = 1L;

  public ServerUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * {@code The connection to the server HOST:PORT was refused - did you specify the right host or
   * port?}
   */
  public static ServerUnreachableException refused(String hostPort, Throwable cause) {
    return new ServerUnreachableException(
        "The connection to the server "
            + hostPort
            + " was refused - did you specify the right host or port?",
        cause);
  }
}
