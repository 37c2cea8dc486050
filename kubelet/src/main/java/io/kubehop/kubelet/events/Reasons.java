package io.kubehop.kubelet.events;

/**
 * The kubelet's event reasons and messages, in upstream's words ({@code pkg/kubelet/events},
 * kuberuntime, images, prober) as Kubernetes 1.30 writes them, the version kubehop reports (1.33
 * writes {@code Created container: x} and {@code Started container: x}).
 */
public final class Reasons {

  public static final String PULLED = "Pulled";
  public static final String CREATED = "Created";
  public static final String STARTED = "Started";
  public static final String FAILED = "Failed";
  public static final String KILLING = "Killing";
  public static final String UNHEALTHY = "Unhealthy";
  public static final String BACK_OFF = "BackOff";

  private Reasons() {
    throw new AssertionError("No instances.");
  }

  /** Pulled: the runtime has every image, as with imagePullPolicy IfNotPresent. */
  public static String imagePresent(String image) {
    return "Container image \"" + image + "\" already present on machine";
  }

  public static String created(String container) {
    return "Created container " + container;
  }

  public static String started(String container) {
    return "Started container " + container;
  }

  /** Failed, for a container that could not be created or started. */
  public static String failed(String error) {
    return "Error: " + error;
  }

  /** Killing, for a pod being deleted. */
  public static String stopping(String container) {
    return "Stopping container " + container;
  }

  /**
   * Killing, for a failed liveness or startup probe ({@code probe} {@code liveness} or {@code
   * startup}); {@code restart} when the restart policy is not Never.
   */
  public static String failedProbe(String container, String probe, boolean restart) {
    String m = "Container " + container + " failed " + probe + " probe";
    return restart ? m + ", will be restarted" : m;
  }

  /** BackOff: {@code pod} as upstream's format.Pod, {@code name_namespace(uid)}. */
  public static String backOff(String container, String name, String namespace, String uid) {
    return "Back-off restarting failed container "
        + container
        + " in pod "
        + name
        + "_"
        + namespace
        + "("
        + uid
        + ")";
  }
}
