package io.kubehop.client.testing;

/** Kubeconfig texts for tests. */
public final class Kubeconfigs {

  private Kubeconfigs() {
  }

  /** One cluster/user/context, like {@code kubehop up} writes, plus a token (sent only over https). */
  public static String plain(String server, String namespace) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: kubehop
          cluster:
            server: %s
        users:
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
        """.formatted(server, namespace);
  }
}
