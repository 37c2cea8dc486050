package io.kubehop.kubelet.cri;

/**
 * The labels and annotations by which the kubelet finds its sandboxes and containers again
 * (design.md).
 */
public final class CriLabels {
  public static final String POD_NAME = "io.kubernetes.pod.name";
  public static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
  public static final String POD_UID = "io.kubernetes.pod.uid";
  public static final String CONTAINER_NAME = "io.kubernetes.container.name";

  /**
   * Annotation: the attempt number of a container, i.e. the pod's restartCount for it when it was
   * created.
   */
  public static final String RESTART_COUNT = "io.kubernetes.container.restartCount";

  /** Annotation: the pod's termination grace period, as upstream records it. */
  public static final String TERMINATION_GRACE_PERIOD = "io.kubernetes.pod.terminationGracePeriod";

  private CriLabels() {
    throw new AssertionError("No instances.");
  }
}
