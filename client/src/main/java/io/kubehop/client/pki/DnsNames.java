package io.kubehop.client.pki;

import java.util.regex.Pattern;

/**
 * apimachinery's {@code IsDNS1123Subdomain}: the form of node names and of DNS SANs. A node name
 * also names a directory under {@code pki/nodes/}, so this check is what keeps {@code ../} out.
 */
final class DnsNames {

  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private DnsNames() {
    throw new AssertionError("No instances.");
  }

  static boolean isSubdomain(String name) {
    return name.length() <= 253 && SUBDOMAIN.matcher(name).matches();
  }
}
