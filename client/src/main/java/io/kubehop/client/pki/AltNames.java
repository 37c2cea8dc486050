package io.kubehop.client.pki;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.util.IPAddress;

/**
 * A certificate's subject alternative names, as client-go's {@code certutil.AltNames}: DNS names
 * and IP addresses. DNS names compare case-insensitively (they are kept in lower case), IPs by
 * their bytes, so {@code ::1} and {@code 0:0:0:0:0:0:0:1} are the same name.
 *
 * @param dnsNames DNS names, lower case, in the order given
 * @param ips IP addresses, in the order given
 */
public record AltNames(Set<String> dnsNames, Set<InetAddress> ips) {

  /** No names. */
  public static final AltNames NONE = new AltNames(Set.of(), Set.of());

  public AltNames {
    // Set.copyOf would lose the order, and the order is the one the certificate lists them in.
    dnsNames = Collections.unmodifiableSet(new LinkedHashSet<>(dnsNames));
    ips = Collections.unmodifiableSet(new LinkedHashSet<>(ips));
  }

  /**
   * Names as a user writes them: each an IP literal ({@code 10.0.0.1}, {@code ::1}) or a DNS name.
   * Nothing is resolved.
   *
   * @throws IllegalArgumentException for a word that is neither
   */
  public static AltNames parse(Collection<String> names) {
    Set<String> dns = new LinkedHashSet<>();
    Set<InetAddress> ips = new LinkedHashSet<>();
    for (String name : names) {
      if (IPAddress.isValid(name)) {
        ips.add(ip(name));
      } else if (DnsNames.isSubdomain(name.toLowerCase(Locale.ROOT))) {
        dns.add(name.toLowerCase(Locale.ROOT));
      } else {
        throw new IllegalArgumentException(
            "invalid SAN \"" + name + "\": neither an IP address nor a DNS name");
      }
    }
    return new AltNames(dns, ips);
  }

  /** An IP literal as an address; never a DNS lookup. */
  static InetAddress ip(String literal) {
    if (!IPAddress.isValid(literal)) {
      throw new IllegalArgumentException("invalid IP address \"" + literal + "\"");
    }
    try {
      return InetAddress.getByName(literal); // a literal: parsed, not looked up
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("invalid IP address \"" + literal + "\"", e);
    }
  }

  /** The names of {@code certificate}'s subjectAltName extension; none when it has none. */
  static AltNames of(X509Certificate certificate) throws CertificateParsingException {
    Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
    if (entries == null) {
      return NONE;
    }
    Set<String> dns = new LinkedHashSet<>();
    Set<InetAddress> ips = new LinkedHashSet<>();
    for (List<?> entry : entries) {
      int type = (Integer) entry.get(0);
      String value = (String) entry.get(1);
      if (type == 2) { // dNSName
        dns.add(value.toLowerCase(Locale.ROOT));
      } else if (type == 7) { // iPAddress, as the JDK prints it
        ips.add(ip(value));
      }
    }
    return new AltNames(dns, ips);
  }

  /** These names and {@code other}'s. */
  public AltNames plus(AltNames other) {
    Set<String> dns = new LinkedHashSet<>(dnsNames);
    dns.addAll(other.dnsNames);
    Set<InetAddress> allIps = new LinkedHashSet<>(ips);
    allIps.addAll(other.ips);
    return new AltNames(dns, allIps);
  }

  /** Whether every name of {@code required} is among these. */
  public boolean containsAll(AltNames required) {
    return dnsNames.containsAll(required.dnsNames) && ips.containsAll(required.ips);
  }
}
