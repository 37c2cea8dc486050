package io.kubehop.client.rest;

/** A kubeconfig that is missing or cannot be used; the message is printed after {@code error: }. */
public final class KubeconfigException extends Exception {

  private static final long serialVersionUID = 1L;

  public KubeconfigException(String message) {
    super(message, null, false, false);
  }
}
