package io.kubehop.client.rest;

/**
 * The TLS material of one kubeconfig cluster (and its user's client certificate), as client-go's
 * {@code rest.TLSClientConfig} carries it. Only used when the server URL is {@code https}.
 *
 * @param caPem PEM CA bundle to trust, or null to use the JVM's default trust store
 * @param insecureSkipVerify trust any server certificate ({@code insecure-skip-tls-verify})
 * @param clientCertPem PEM client certificate, or null
 * @param clientKeyPem PEM client key, or null
 */
public record TlsConfig(
    byte[] caPem, boolean insecureSkipVerify, byte[] clientCertPem, byte[] clientKeyPem) {

  public static final TlsConfig NONE = new TlsConfig(null, false, null, null);
}
