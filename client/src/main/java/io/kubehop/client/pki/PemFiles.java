package io.kubehop.client.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * A certificate and its key as two PEM files, {@code NAME.crt} and {@code NAME.key}, as kubeadm's
 * {@code pkiutil.WriteCertAndKey} and {@code TryLoadCertAndKeyFromDisk} keep them. Keys are PKCS#8
 * ({@code BEGIN PRIVATE KEY}), which Vert.x, Go and openssl all read; the key file is created
 * {@code rw-------}.
 */
final class PemFiles {

  private PemFiles() {
    throw new AssertionError("No instances.");
  }

  static Path certFile(Path dir, String baseName) {
    return dir.resolve(baseName + ".crt");
  }

  static Path keyFile(Path dir, String baseName) {
    return dir.resolve(baseName + ".key");
  }

  /** Whether both files of {@code baseName} exist. */
  static boolean exist(Path dir, String baseName) {
    return Files.exists(certFile(dir, baseName)) && Files.exists(keyFile(dir, baseName));
  }

  /** Reads both files of {@code baseName}. */
  static CertKeyPair read(Path dir, String baseName) throws PkiException {
    return new CertKeyPair(readCert(certFile(dir, baseName)), readKey(keyFile(dir, baseName)));
  }

  /** Writes both files of {@code baseName}: the key first, so a cert never has a stale key. */
  static void write(Path dir, String baseName, CertKeyPair pair) throws IOException {
    SecureFiles.write(keyFile(dir, baseName), pem(pair.key()), SecureFiles.SECRET);
    SecureFiles.write(certFile(dir, baseName), pem(pair.certificate()), SecureFiles.PUBLIC);
  }

  static X509Certificate readCert(Path file) throws PkiException {
    Object block = firstBlock(file);
    if (!(block instanceof X509CertificateHolder holder)) {
      throw new PkiException("cannot read certificate " + file + ": no CERTIFICATE block");
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw new PkiException("cannot read certificate " + file + ": " + e.getMessage(), e);
    }
  }

  static PrivateKey readKey(Path file) throws PkiException {
    Object block = firstBlock(file);
    PrivateKeyInfo info =
        block instanceof PEMKeyPair pair
            ? pair.getPrivateKeyInfo()
            : block instanceof PrivateKeyInfo i ? i : null;
    if (info == null) {
      throw new PkiException("cannot read private key " + file + ": no PRIVATE KEY block");
    }
    try {
      return new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (IOException e) {
      throw new PkiException("cannot read private key " + file + ": " + e.getMessage(), e);
    }
  }

  private static Object firstBlock(Path file) throws PkiException {
    try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file)))) {
      return parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new PkiException("cannot read " + file + ": " + describe(e), e);
    }
  }

  /** A reason without the path again (the JDK's file exceptions are just the path). */
  static String describe(Exception e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  static byte[] pem(X509Certificate certificate) {
    return write(certificate);
  }

  static byte[] pem(PrivateKey key) {
    try {
      return write(new JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] write(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
