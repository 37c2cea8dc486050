package io.kubehop.kubelet.prober;

/**
 * What one run of a probe handler found, as upstream's {@code probe.Result} and output.
 *
 * @param success whether the probe passed
 * @param output the text upstream's handler gives (the Unhealthy event's detail on failure)
 */
public record ProbeOutcome(boolean success, String output) {

  public static ProbeOutcome success(String output) {
    return new ProbeOutcome(true, output);
  }

  public static ProbeOutcome failure(String output) {
    return new ProbeOutcome(false, output);
  }
}
