package io.kubehop.e2e.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** What a test needs to talk to a {@code --secure} cluster: its CA, its tokens. */
public final class ClusterTls {

  private ClusterTls() {
    throw new AssertionError("No instances.");
  }

  /** An HTTP/1.1 client that trusts only {@code caFile} (host names verified). */
  public static HttpClient client(Path caFile) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .sslContext(trusting(caFile))
        .build();
  }

  /** A TLS context that trusts only {@code caFile}. */
  public static SSLContext trusting(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, trust.getTrustManagers(), null);
      return tls;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The bearer token of {@code user} in a static token file ({@code token,user,uid,groups}). */
  public static String token(Path tokens, String user) {
    try {
      return Files.readAllLines(tokens).stream()
          .map(l -> l.split(",", 4))
          .filter(f -> f.length >= 2 && f[1].equals(user))
          .map(f -> f[0])
          .findFirst()
          .orElseThrow(() -> new AssertionError("no token for " + user + " in " + tokens));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
