package io.kubehop.client.pki;

import static io.kubehop.client.pki.PkiFixture.cert;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One fresh run of {@link ClusterPki}: what each certificate says (CN, O, SANs, usages, chain), the
 * files' forms and permissions, the token file and the kubeconfigs.
 */
class PkiGenerationTest {

  static final String KEY_USAGE_OID = "2.5.29.15";
  static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  @TempDir static Path home;
  static PkiLayout layout;
  static PkiResult result;
  static X509Certificate ca;

  @BeforeAll
  static void generate() throws Exception {
    layout = new PkiLayout(home.resolve("kubehop"));
    result =
        new ClusterPki(layout)
            .ensure(
                PkiFixture.request(
                    List.of("10.9.8.7", "kubehop.example"),
                    List.of("node-1=127.0.0.1", "node-2=127.0.0.1")));
    ca = cert(layout.caCert());
  }

  @Test
  void generatesEverythingInOrder() {
    assertEquals(
        List.of(
            "ca",
            "apiserver",
            "apiserver-kubelet-client",
            "admin",
            "nodes/node-1/kubelet",
            "nodes/node-1/kubelet-client",
            "nodes/node-2/kubelet",
            "nodes/node-2/kubelet-client",
            "tokens",
            "kubeconfig",
            "kubeconfig-viewer",
            "nodes/node-1/kubeconfig",
            "nodes/node-2/kubeconfig"),
        result.generated());
    assertEquals(List.of(), result.reused());
  }

  @Test
  void caIsASelfSignedP256CaForTenYears() throws Exception {
    assertEquals("CN=kubehop-ca", ca.getSubjectX500Principal().getName());
    assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal());
    ca.verify(ca.getPublicKey());
    assertEquals(Integer.MAX_VALUE, ca.getBasicConstraints(), "CA:true without a path length");
    assertTrue(ca.getCriticalExtensionOIDs().contains("2.5.29.19"), "basicConstraints critical");
    assertTrue(ca.getCriticalExtensionOIDs().contains(KEY_USAGE_OID), "keyUsage critical");
    // digitalSignature(0), keyCertSign(5), cRLSign(6)
    assertArrayEquals(
        new boolean[] {true, false, false, false, false, true, true, false, false},
        ca.getKeyUsage());
    assertTrue(ca.getNonCriticalExtensionOIDs().contains("2.5.29.14"), "subjectKeyIdentifier");
    assertEquals("SHA256withECDSA", ca.getSigAlgName());
    assertEquals(
        256, ((ECPublicKey) ca.getPublicKey()).getParams().getCurve().getField().getFieldSize());
    assertEquals(
        Duration.ofDays(3650),
        Duration.between(ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant()));
    assertEquals(1, ca.getSerialNumber().signum());
    assertTrue(ca.getSerialNumber().bitLength() <= 128);
  }

  @Test
  void apiserverServesTheFixedAndTheRequestedNames() throws Exception {
    X509Certificate apiserver = cert(layout.apiserverCert());
    assertEquals("CN=kube-apiserver", apiserver.getSubjectX500Principal().getName());
    assertEquals(
        Set.of(
            "DNS:localhost",
            "DNS:kubernetes",
            "DNS:kubernetes.default",
            "DNS:kubernetes.default.svc",
            "DNS:kubehop.example",
            "IP:127.0.0.1",
            "IP:10.9.8.7"),
        sans(apiserver));
    assertEquals(List.of(SERVER_AUTH), apiserver.getExtendedKeyUsage());
    // digitalSignature(0), keyEncipherment(2)
    assertArrayEquals(
        new boolean[] {true, false, true, false, false, false, false, false, false},
        apiserver.getKeyUsage());
    assertEquals(-1, apiserver.getBasicConstraints(), "not a CA");
    Instant notAfter = apiserver.getNotAfter().toInstant();
    assertTrue(
        Duration.between(Instant.now(), notAfter).compareTo(Duration.ofDays(364)) > 0,
        notAfter.toString());
    assertTrue(
        Duration.between(Instant.now(), notAfter).compareTo(Duration.ofDays(366)) < 0,
        notAfter.toString());
    assertTrue(
        apiserver.getNonCriticalExtensionOIDs().contains("2.5.29.35"), "authorityKeyIdentifier");
  }

  @Test
  void clientCertificatesNameTheirUserAndGroups() throws Exception {
    assertClient(layout.adminCert(), "CN=kubehop-admin,O=system:masters");
    assertClient(
        layout.apiserverKubeletClientCert(),
        "CN=kube-apiserver-kubelet-client,O=kubeadm:cluster-admins");
    assertClient(layout.kubeletClientCert("node-1"), "CN=system:node:node-1,O=system:nodes");
    assertClient(layout.kubeletClientCert("node-2"), "CN=system:node:node-2,O=system:nodes");
  }

  @Test
  void kubeletsServeTheirNodeNameAndIp() throws Exception {
    for (String node : List.of("node-1", "node-2")) {
      X509Certificate kubelet = cert(layout.kubeletCert(node));
      assertEquals(
          "CN=system:node:" + node + ",O=system:nodes",
          kubelet.getSubjectX500Principal().getName());
      assertEquals(Set.of("DNS:" + node, "IP:127.0.0.1"), sans(kubelet));
      assertEquals(List.of(SERVER_AUTH), kubelet.getExtendedKeyUsage());
    }
  }

  @Test
  void everyLeafChainsToTheCa() throws Exception {
    List<Path> leaves =
        List.of(
            layout.apiserverCert(),
            layout.apiserverKubeletClientCert(),
            layout.adminCert(),
            layout.kubeletCert("node-1"),
            layout.kubeletClientCert("node-1"),
            layout.kubeletCert("node-2"),
            layout.kubeletClientCert("node-2"));
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    parameters.setRevocationEnabled(false);
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    Set<String> serials = new TreeSet<>();
    serials.add(ca.getSerialNumber().toString(16));
    for (Path leaf : leaves) {
      X509Certificate cert = cert(leaf);
      cert.verify(ca.getPublicKey());
      CertPathValidator.getInstance("PKIX")
          .validate(factory.generateCertPath(List.of(cert)), parameters);
      assertEquals(ca.getSubjectX500Principal(), cert.getIssuerX500Principal(), leaf.toString());
      assertEquals("SHA256withECDSA", cert.getSigAlgName());
      assertEquals(1, cert.getSerialNumber().signum());
      serials.add(cert.getSerialNumber().toString(16));
      assertNull(
          CertChecks.caProblem(
              new CertKeyPair(ca, PemFiles.readKey(layout.caKey())), Instant.now()));
    }
    assertEquals(leaves.size() + 1, serials.size(), "serials are unique");
  }

  @Test
  void secretsAreOwnerOnlyAndKeysArePkcs8() throws Exception {
    List<Path> keys =
        List.of(
            layout.caKey(),
            layout.apiserverKey(),
            layout.apiserverKubeletClientKey(),
            layout.adminKey(),
            layout.kubeletKey("node-1"),
            layout.kubeletClientKey("node-1"));
    for (Path key : keys) {
      assertEquals("rw-------", permissions(key), key.toString());
      assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----\n"), key.toString());
    }
    for (Path secret :
        List.of(
            layout.tokens(),
            layout.adminKubeconfig(),
            layout.viewerKubeconfig(),
            layout.kubeletKubeconfig("node-1"))) {
      assertEquals("rw-------", permissions(secret), secret.toString());
    }
    for (Path cert :
        List.of(layout.caCert(), layout.apiserverCert(), layout.kubeletCert("node-1"))) {
      assertEquals("rw-r--r--", permissions(cert), cert.toString());
      assertTrue(
          Files.readString(cert).startsWith("-----BEGIN CERTIFICATE-----\n"), cert.toString());
    }
    assertEquals("rwx------", permissions(layout.pkiDir()));
    assertEquals("rwx------", permissions(layout.nodeDir("node-1")));
    assertEquals("rwx------", permissions(layout.pkiDir().resolve("nodes")));
    try (var files = Files.list(layout.pkiDir())) {
      assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no leftovers");
    }
  }

  @Test
  void tokenFileHasTheAdminAndTheViewer() throws Exception {
    List<String> lines = Files.readAllLines(layout.tokens());
    assertEquals(2, lines.size(), lines.toString());
    Pattern token = Pattern.compile("[A-Za-z0-9_-]{43}");
    String[] admin = lines.get(0).split(",", 4);
    assertTrue(token.matcher(admin[0]).matches(), "base64url of 32 bytes, unpadded");
    assertEquals(
        List.of("kubehop-admin", "kubehop-admin", "\"system:masters\""),
        List.of(admin).subList(1, 4));
    String[] viewer = lines.get(1).split(",", 4);
    assertTrue(token.matcher(viewer[0]).matches());
    assertEquals(
        List.of("kubehop-viewer", "kubehop-viewer", "\"kubehop:viewers\""),
        List.of(viewer).subList(1, 4));
    assertFalse(admin[0].equals(viewer[0]));
    assertEquals(
        List.of(
            new StaticToken(admin[0], "kubehop-admin", "kubehop-admin", List.of("system:masters")),
            new StaticToken(
                viewer[0], "kubehop-viewer", "kubehop-viewer", List.of("kubehop:viewers"))),
        TokenFile.read(layout.tokens()));
  }

  @Test
  void kubeconfigsTrustTheCaAndCarryTheTokens() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    String caData = Base64.getEncoder().encodeToString(Files.readAllBytes(layout.caCert()));
    List<StaticToken> tokens = TokenFile.read(layout.tokens());
    String[][] users = {
      {layout.adminKubeconfig().toString(), "kubehop-admin", tokens.get(0).token()},
      {layout.viewerKubeconfig().toString(), "kubehop-viewer", tokens.get(1).token()}
    };
    for (String[] user : users) {
      JsonNode config = yaml.readTree(Path.of(user[0]).toFile());
      assertEquals("kubehop", config.path("current-context").asText());
      JsonNode cluster = config.path("clusters").get(0);
      assertEquals("kubehop", cluster.path("name").asText());
      assertEquals(caData, cluster.path("cluster").path("certificate-authority-data").asText());
      assertEquals("https://127.0.0.1:6443", cluster.path("cluster").path("server").asText());
      assertTrue(cluster.path("cluster").path("insecure-skip-tls-verify").isMissingNode());
      JsonNode context = config.path("contexts").get(0);
      assertEquals("kubehop", context.path("name").asText());
      assertEquals("kubehop", context.path("context").path("cluster").asText());
      assertEquals(user[1], context.path("context").path("user").asText());
      assertEquals("default", context.path("context").path("namespace").asText());
      JsonNode u = config.path("users").get(0);
      assertEquals(user[1], u.path("name").asText());
      assertEquals(user[2], u.path("user").path("token").asText());
      assertEquals(1, u.path("user").size(), "only the token");
    }
  }

  @Test
  void kubeletKubeconfigNamesItsClientCertificateFiles() throws Exception {
    JsonNode config =
        new ObjectMapper(new YAMLFactory()).readTree(layout.kubeletKubeconfig("node-1").toFile());
    String caData = Base64.getEncoder().encodeToString(Files.readAllBytes(layout.caCert()));
    assertEquals(
        caData,
        config.path("clusters").get(0).path("cluster").path("certificate-authority-data").asText());
    assertEquals("system:node:node-1@kubehop", config.path("current-context").asText());
    JsonNode user = config.path("users").get(0);
    assertEquals("system:node:node-1", user.path("name").asText());
    assertEquals(
        layout.kubeletClientCert("node-1").toString(),
        user.path("user").path("client-certificate").asText());
    assertEquals(
        layout.kubeletClientKey("node-1").toString(),
        user.path("user").path("client-key").asText());
    assertTrue(Path.of(user.path("user").path("client-certificate").asText()).isAbsolute());
  }

  @Test
  void kubehopsOwnKubeconfigLoaderAcceptsTheAdminKubeconfig() throws Exception {
    io.kubehop.client.rest.Kubeconfig config =
        io.kubehop.client.rest.Kubeconfig.load(layout.adminKubeconfig(), null);
    assertEquals("kubehop", config.contextName());
    assertEquals("default", config.namespace());
  }

  private static void assertClient(Path file, String subject) throws Exception {
    X509Certificate cert = cert(file);
    assertEquals(subject, cert.getSubjectX500Principal().getName(), file.toString());
    assertEquals(List.of(CLIENT_AUTH), cert.getExtendedKeyUsage(), file.toString());
    assertNull(cert.getSubjectAlternativeNames(), file.toString());
    cert.verify(ca.getPublicKey());
  }

  static Set<String> sans(X509Certificate cert) throws Exception {
    Set<String> names = new TreeSet<>();
    for (List<?> entry : cert.getSubjectAlternativeNames()) {
      names.add(((Integer) entry.get(0) == 2 ? "DNS:" : "IP:") + entry.get(1));
    }
    return names;
  }

  static String permissions(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  static byte[] keyIdentifier(byte[] extension) throws Exception {
    return org.bouncycastle.asn1.x509.SubjectKeyIdentifier.getInstance(
            org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils.parseExtensionValue(extension))
        .getKeyIdentifier();
  }
}
