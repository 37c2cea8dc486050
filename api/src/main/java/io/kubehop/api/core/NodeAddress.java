package io.kubehop.api.core;

/** core/v1 NodeAddress. */
public record NodeAddress(String type, String address) {
  public static final String INTERNAL_IP = "InternalIP";
  public static final String HOSTNAME = "Hostname";
}
