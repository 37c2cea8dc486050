package io.kubehop.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.client.rest.TlsConfig;
import io.kubehop.client.rest.TlsContexts;
import io.kubehop.client.testing.Cli;
import io.kubehop.client.testing.FakeApiServer;
import io.kubehop.client.testing.TestPki;
import io.kubehop.client.testing.TestPki.KeyFormat;
import io.kubehop.testkit.ProcessResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Client certificates from a kubeconfig, with every key form a kubeconfig may hold (PKCS#1 and
 * PKCS#8 RSA, SEC 1 and PKCS#8 EC): the key managers the REST and the Vert.x transports share hold
 * the right key, and an apiserver that requires a client certificate accepts the CLI.
 */
class ClientCertificateTest {

  static final String TABLE = TlsTest.TABLE;

  @TempDir static Path dir;
  static TestPki pki;
  static FakeApiServer server;

  @BeforeAll
  static void start() throws Exception {
    pki = new TestPki();
    server = FakeApiServer.https(pki.serverContext(pki.server("ip:127.0.0.1")), true);
    server.on("GET", "/api/v1/namespaces/default/pods", FakeApiServer.json(200, TABLE));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @EnumSource(KeyFormat.class)
  void keyManagersHoldTheKeyOfEachForm(KeyFormat format) throws Exception {
    TestPki.Identity alice = pki.client("alice", format.algorithm);
    String keyPem = TestPki.pem(alice.keys().getPrivate(), format);
    assertTrue(keyPem.startsWith(format.firstLine), keyPem);

    X509KeyManager keys =
        (X509KeyManager)
            TlsContexts.keyManagers(
                    new TlsConfig(
                        null, false, bytes(TestPki.pem(alice.certificate())), bytes(keyPem)))
                .getKeyManagers()[0];

    PrivateKey key = keys.getPrivateKey("client");
    assertEquals(format.algorithm, key.getAlgorithm());
    assertEquals(alice.certificate(), keys.getCertificateChain("client")[0]);
    String algorithm = format.algorithm.equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(bytes("proof"));
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(alice.certificate().getPublicKey());
    verifier.update(bytes("proof"));
    assertTrue(verifier.verify(signer.sign()), "the key is the certificate's");
  }

  /** Files named relative to the kubeconfig, as kubeadm and kind write them. */
  @ParameterizedTest
  @EnumSource(KeyFormat.class)
  void authenticatesWithCertificateAndKeyFiles(KeyFormat format) throws Exception {
    TestPki.Identity alice = pki.client("alice", format.algorithm);
    Path home = Files.createTempDirectory(dir, format.name());
    Files.createDirectories(home.resolve("pki"));
    Files.writeString(home.resolve("pki/ca.crt"), TestPki.pem(pki.ca().certificate()));
    Files.writeString(home.resolve("pki/alice.crt"), TestPki.pem(alice.certificate()));
    Files.writeString(
        home.resolve("pki/alice.key"), TestPki.pem(alice.keys().getPrivate(), format));
    Path kubeconfig =
        kubeconfig(
            home,
            "certificate-authority: pki/ca.crt",
            "client-certificate: pki/alice.crt\n    client-key: pki/alice.key");

    assertEquals(new ProcessResult(0, "NAME\nweb\n", ""), Cli.run(kubeconfig, "get", "pods"));
  }

  @ParameterizedTest
  @EnumSource(
      value = KeyFormat.class,
      names = {"RSA_PKCS1", "EC_SEC1"})
  void authenticatesWithInlineData(KeyFormat format) throws Exception {
    TestPki.Identity alice = pki.client("alice", format.algorithm);
    Path kubeconfig =
        kubeconfig(
            Files.createTempDirectory(dir, "inline"),
            "certificate-authority-data: " + base64(TestPki.pem(pki.ca().certificate())),
            "client-certificate-data: "
                + base64(TestPki.pem(alice.certificate()))
                + "\n    client-key-data: "
                + base64(TestPki.pem(alice.keys().getPrivate(), format)));

    assertEquals(new ProcessResult(0, "NAME\nweb\n", ""), Cli.run(kubeconfig, "get", "pods"));
  }

  @Test
  void withoutAClientCertificateTheHandshakeFails() throws Exception {
    Path kubeconfig =
        kubeconfig(
            Files.createTempDirectory(dir, "nocert"),
            "certificate-authority-data: " + base64(TestPki.pem(pki.ca().certificate())),
            "token: t");

    ProcessResult result = Cli.run(kubeconfig, "get", "pods");

    assertEquals(1, result.exitCode());
    assertTrue(result.stderr().startsWith("Unable to connect to the server: "), result.stderr());
  }

  @Test
  void aKeyFileWithoutAKeyIsReportedAsGoDoes() throws Exception {
    TestPki.Identity alice = pki.client("alice", "EC");
    Path kubeconfig =
        kubeconfig(
            Files.createTempDirectory(dir, "nokey"),
            "certificate-authority-data: " + base64(TestPki.pem(pki.ca().certificate())),
            "client-certificate-data: "
                + base64(TestPki.pem(alice.certificate()))
                + "\n    client-key-data: "
                + base64("not a key\n"));

    assertEquals(
        new ProcessResult(1, "", "error: tls: failed to find any PEM data in key input\n"),
        Cli.run(kubeconfig, "get", "pods"));
  }

  private static Path kubeconfig(Path home, String clusterLine, String userLines) throws Exception {
    return Files.writeString(
        home.resolve("config"),
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster:
            server: %s
            %s
        users:
        - name: alice
          user:
            %s
        contexts:
        - name: c
          context: {cluster: c, user: alice}
        current-context: c
        """
            .formatted(server.url(), clusterLine, userLines));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(bytes(text));
  }
}
