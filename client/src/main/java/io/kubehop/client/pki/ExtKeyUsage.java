package io.kubehop.client.pki;

import org.bouncycastle.asn1.x509.KeyPurposeId;

/** What a leaf certificate is for (Go's {@code x509.ExtKeyUsage}); each leaf has exactly one. */
public enum ExtKeyUsage {
  /** A TLS server: the apiserver, a kubelet's HTTPS endpoint. */
  SERVER_AUTH(KeyPurposeId.id_kp_serverAuth),
  /** A TLS client: a user, a kubelet toward the apiserver, the apiserver toward a kubelet. */
  CLIENT_AUTH(KeyPurposeId.id_kp_clientAuth);

  final KeyPurposeId purpose;

  ExtKeyUsage(KeyPurposeId purpose) {
    this.purpose = purpose;
  }

  /** The OID, as {@code X509Certificate.getExtendedKeyUsage()} lists it. */
  public String oid() {
    return purpose.getId();
  }
}
