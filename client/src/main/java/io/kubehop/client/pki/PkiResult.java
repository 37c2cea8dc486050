package io.kubehop.client.pki;

import java.util.List;

/**
 * What {@link ClusterPki#ensure} did, per credential ({@code ca}, {@code apiserver}, {@code
 * nodes/N/kubelet}, {@code tokens}, {@code kubeconfig}, …): made (or rewritten) or kept as it was.
 *
 * @param generated the credentials written, in the order written
 * @param reused the credentials kept, byte for byte
 */
public record PkiResult(List<String> generated, List<String> reused) {

  public PkiResult {
    generated = List.copyOf(generated);
    reused = List.copyOf(reused);
  }

  /** One line: {@code pki: generated ca, apiserver; reused tokens}, or {@code pki: reused}. */
  public String summary() {
    if (generated.isEmpty()) {
      return "pki: reused";
    }
    String line = "pki: generated " + String.join(", ", generated);
    return reused.isEmpty() ? line : line + "; reused " + String.join(", ", reused);
  }
}
