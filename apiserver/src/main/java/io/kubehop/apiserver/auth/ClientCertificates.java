package io.kubehop.apiserver.auth;

import io.vertx.core.http.HttpConnection;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Upstream's x509 authenticator: the user of a verified TLS client certificate is its subject's
 * common name, its groups the subject's organizations.
 *
 * <p>The chain was verified against {@code --client-ca-file} during the TLS handshake (the server
 * trusts only that CA for client certificates), so a certificate that reaches this class is one the
 * CA signed.
 */
public final class ClientCertificates {

  private ClientCertificates() {
    throw new AssertionError("No instances.");
  }

  /** The user of {@code connection}'s client certificate, if it presented one with a CN. */
  public static Optional<UserInfo> user(HttpConnection connection) {
    if (connection == null || !connection.isSsl()) {
      return Optional.empty();
    }
    List<Certificate> chain;
    try {
      chain = connection.peerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty(); // no certificate was presented (ClientAuth.REQUEST)
    }
    if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) {
      return Optional.empty();
    }
    return user(leaf);
  }

  /** CN → user name, every O → a group; empty when the subject has no CN (upstream refuses it). */
  static Optional<UserInfo> user(X509Certificate leaf) {
    LdapName subject;
    try {
      subject = new LdapName(leaf.getSubjectX500Principal().getName());
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
    String cn = null;
    List<String> organizations = new ArrayList<>();
    // LdapName lists RDNs last-first; go forward so the groups keep the certificate's order.
    for (Rdn rdn : subject.getRdns()) {
      if (rdn.getType().equalsIgnoreCase("CN")) {
        cn = String.valueOf(rdn.getValue());
      } else if (rdn.getType().equalsIgnoreCase("O")) {
        organizations.add(0, String.valueOf(rdn.getValue()));
      }
    }
    if (cn == null || cn.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(UserInfo.authenticated(cn, null, organizations));
  }
}
