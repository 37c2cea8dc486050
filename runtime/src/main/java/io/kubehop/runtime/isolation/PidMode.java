package io.kubehop.runtime.isolation;

import io.kubehop.cri.v1.NamespaceMode;

/** Which PID namespace a container's processes see, from the CRI's {@code NamespaceMode}. */
public enum PidMode {
  /** A namespace of the container's own: its main process is PID 1 (Kubernetes' default). */
  CONTAINER,
  /** The pod's namespace, shared by its containers ({@code shareProcessNamespace: true}). */
  POD,
  /** The node's ({@code hostPID: true}). */
  NODE;

  /** The mode a CRI config asks for. TARGET (ephemeral containers) is taken as POD. */
  public static PidMode of(NamespaceMode mode) {
    return switch (mode) {
      case CONTAINER -> CONTAINER;
      case NODE -> NODE;
      default -> POD;
    };
  }
}
