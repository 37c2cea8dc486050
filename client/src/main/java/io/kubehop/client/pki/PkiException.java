package io.kubehop.client.pki;

/**
 * The PKI cannot be made or read: a file that is there but is no certificate or key, a directory
 * that cannot be written. The message names the file.
 */
public final class PkiException extends Exception {

  private static final long serialVersionUID = 1L;

  public PkiException(String message) {
    super(message);
  }

  public PkiException(String message, Throwable cause) {
    super(message, cause);
  }
}
