package io.kubehop.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Kubeconfigs for tests: one cluster, user and context, as {@code kubehop up} writes, plus a bearer
 * token.
 */
public final class Kubeconfigs {

  private Kubeconfigs() {
    throw new AssertionError("No instances.");
  }

  /** The kubeconfig text for {@code server} and {@code namespace}. */
  public static String text(String server, String namespace) {
    return text(server, namespace, null);
  }

  /**
   * The kubeconfig text for {@code server} and {@code namespace}, with one more line in the cluster
   * entry (e.g. {@code insecure-skip-tls-verify: true}; none if null). The token is sent only over
   * https, as client-go does.
   */
  public static String text(String server, String namespace, String clusterLine) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: kubehop
          cluster:
            server: %s
        %susers:
        - name: kubehop-admin
          user:
            token: secret-token
        contexts:
        - name: kubehop
          context:
            cluster: kubehop
            user: kubehop-admin
            namespace: %s
        current-context: kubehop
        """
        .formatted(server, clusterLine == null ? "" : "    " + clusterLine + "\n", namespace);
  }

  /**
   * Writes the kubeconfig for {@code server} (namespace {@code default}) to {@code file}, and
   * returns the file.
   */
  public static Path write(Path file, String server) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.writeString(file, text(server, "default"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
