package io.kubehop.kubelet.prober;

/** The three probes of a container, named as upstream's events name them. */
public enum ProbeType {
  LIVENESS("Liveness"),
  READINESS("Readiness"),
  STARTUP("Startup");

  private final String display;

  ProbeType(String display) {
    this.display = display;
  }

  /** {@code Liveness}, {@code Readiness}, {@code Startup}: the start of an Unhealthy message. */
  public String display() {
    return display;
  }
}
