package io.kubehop.client.pki;

import java.nio.file.Path;

/**
 * Where the cluster's credentials live under a kubehop home ({@code $KUBEHOP_HOME}), so the tiers
 * and {@code bin/kubehop} name the same files:
 *
 * <pre>
 * HOME/kubeconfig                 the admin's kubeconfig (token)
 * HOME/kubeconfig-viewer          the viewer's kubeconfig (token)
 * HOME/pki/ca.crt, ca.key         the cluster CA
 * HOME/pki/apiserver.crt, .key    the apiserver's serving certificate
 * HOME/pki/apiserver-kubelet-client.crt, .key   the apiserver toward kubelets
 * HOME/pki/admin.crt, .key        an admin client certificate
 * HOME/pki/tokens.csv             the apiserver's --token-auth-file
 * HOME/pki/nodes/N/kubelet.crt, .key          kubelet N's serving certificate
 * HOME/pki/nodes/N/kubelet-client.crt, .key   kubelet N toward the apiserver
 * HOME/pki/nodes/N/kubeconfig                 kubelet N's kubeconfig (kubeadm's kubelet.conf)
 * </pre>
 *
 * @param home the kubehop home
 */
public record PkiLayout(Path home) {

  public PkiLayout {
    home = home.toAbsolutePath().normalize();
  }

  public Path pkiDir() {
    return home.resolve("pki");
  }

  public Path caCert() {
    return PemFiles.certFile(pkiDir(), ClusterPki.CA);
  }

  public Path caKey() {
    return PemFiles.keyFile(pkiDir(), ClusterPki.CA);
  }

  public Path apiserverCert() {
    return PemFiles.certFile(pkiDir(), ClusterPki.APISERVER);
  }

  public Path apiserverKey() {
    return PemFiles.keyFile(pkiDir(), ClusterPki.APISERVER);
  }

  public Path apiserverKubeletClientCert() {
    return PemFiles.certFile(pkiDir(), ClusterPki.APISERVER_KUBELET_CLIENT);
  }

  public Path apiserverKubeletClientKey() {
    return PemFiles.keyFile(pkiDir(), ClusterPki.APISERVER_KUBELET_CLIENT);
  }

  public Path adminCert() {
    return PemFiles.certFile(pkiDir(), ClusterPki.ADMIN);
  }

  public Path adminKey() {
    return PemFiles.keyFile(pkiDir(), ClusterPki.ADMIN);
  }

  public Path tokens() {
    return pkiDir().resolve("tokens.csv");
  }

  public Path adminKubeconfig() {
    return home.resolve("kubeconfig");
  }

  public Path viewerKubeconfig() {
    return home.resolve("kubeconfig-viewer");
  }

  /** {@code pki/nodes/NODE}: one kubelet's files. */
  public Path nodeDir(String node) {
    if (!DnsNames.isSubdomain(node)) {
      throw new IllegalArgumentException("invalid node name \"" + node + "\"");
    }
    return pkiDir().resolve("nodes").resolve(node);
  }

  public Path kubeletCert(String node) {
    return PemFiles.certFile(nodeDir(node), ClusterPki.KUBELET);
  }

  public Path kubeletKey(String node) {
    return PemFiles.keyFile(nodeDir(node), ClusterPki.KUBELET);
  }

  public Path kubeletClientCert(String node) {
    return PemFiles.certFile(nodeDir(node), ClusterPki.KUBELET_CLIENT);
  }

  public Path kubeletClientKey(String node) {
    return PemFiles.keyFile(nodeDir(node), ClusterPki.KUBELET_CLIENT);
  }

  public Path kubeletKubeconfig(String node) {
    return nodeDir(node).resolve("kubeconfig");
  }
}
