package io.kubehop.kubelet.volume;

/**
 * A volume that cannot be set up, or a mount that cannot be made; the message is what upstream's
 * kubelet would report (in a FailedMount event or a CreateContainerConfigError).
 */
public final class VolumeException extends Exception {

  public VolumeException(String message) {
    super(message);
  }
}
