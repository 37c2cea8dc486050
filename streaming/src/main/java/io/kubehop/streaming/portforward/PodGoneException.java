package io.kubehop.streaming.portforward;

/**
 * What a {@link PortDialer} fails with when the pod it forwards into no longer exists (or no longer
 * has a network): the one dial failure reported to the client, which then stops (kubectl#686: a
 * forward to a replaced pod should end, not hang on). A refused or reset connection to a live pod
 * is not reported; see {@link ForwardingError}.
 */
public final class PodGoneException extends Exception {

  private static final long serialVersionUID = 1L;

  public PodGoneException(String message) {
    super(message, null, false, false);
  }
}
