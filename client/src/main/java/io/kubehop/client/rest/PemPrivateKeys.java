package io.kubehop.client.rest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads a kubeconfig's client key as Go's {@code tls.X509KeyPair} accepts it: PKCS#1 ({@code BEGIN
 * RSA PRIVATE KEY}), SEC 1 ({@code BEGIN EC PRIVATE KEY}, possibly after an {@code EC PARAMETERS}
 * block, as {@code openssl ecparam -genkey} writes it) and PKCS#8 ({@code BEGIN PRIVATE KEY}) for
 * RSA, EC and Ed25519. BouncyCastle's PEM parser does the ASN.1; the JDK's providers hold the key.
 */
final class PemPrivateKeys {

  private PemPrivateKeys() {
    throw new AssertionError("No instances.");
  }

  /** The first private key in {@code pem}. */
  static PrivateKey read(byte[] pem) throws IOException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser parser =
        new PEMParser(
            new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII))) {
      for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
        if (block instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (block instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        // Anything else (EC PARAMETERS, a certificate in the same file) is not the key: skip it.
      }
    } catch (PEMException e) {
      throw new IOException("tls: failed to parse private key: " + e.getMessage(), e);
    }
    throw new IOException("tls: failed to find any PEM data in key input");
  }
}
