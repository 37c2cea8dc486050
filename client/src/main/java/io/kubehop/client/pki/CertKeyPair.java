package io.kubehop.client.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * A certificate and its private key, as kubeadm's {@code pkiutil} passes them around.
 *
 * @param certificate the certificate
 * @param key the private key of its public key
 */
public record CertKeyPair(X509Certificate certificate, PrivateKey key) {

  @Override
  public String toString() {
    // Never the key: some providers' toString() prints the private value.
    return "CertKeyPair[" + certificate.getSubjectX500Principal() + "]";
  }
}
