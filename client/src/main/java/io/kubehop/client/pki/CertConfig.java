package io.kubehop.client.pki;

import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * What a leaf certificate says, as client-go's {@code certutil.Config}: the user (CN) and groups
 * (O) the apiserver reads from a client certificate, the names a server certificate is valid for,
 * and its one extended key usage.
 *
 * @param commonName CN
 * @param organizations O, in order
 * @param altNames the SANs (none for a client certificate)
 * @param usage serverAuth or clientAuth
 */
record CertConfig(
    String commonName, List<String> organizations, AltNames altNames, ExtKeyUsage usage) {

  CertConfig {
    organizations = List.copyOf(organizations);
  }

  /** A client certificate for {@code user} in {@code groups}. */
  static CertConfig client(String user, String... groups) {
    return new CertConfig(user, List.of(groups), AltNames.NONE, ExtKeyUsage.CLIENT_AUTH);
  }

  /** A serving certificate for {@code names}. */
  static CertConfig server(String commonName, List<String> groups, AltNames names) {
    return new CertConfig(commonName, groups, names, ExtKeyUsage.SERVER_AUTH);
  }

  /** The subject, O before CN as Go's {@code pkix.Name} orders it. */
  X500Name subject() {
    X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
    organizations.forEach(o -> name.addRDN(BCStyle.O, o));
    name.addRDN(BCStyle.CN, commonName);
    return name.build();
  }

  /** The subject as the JDK compares it. */
  X500Principal principal() {
    try {
      return new X500Principal(subject().getEncoded());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
