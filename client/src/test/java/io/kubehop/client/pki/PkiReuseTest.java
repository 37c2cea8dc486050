package io.kubehop.client.pki;

import static io.kubehop.client.pki.PkiFixture.ageAndSnapshot;
import static io.kubehop.client.pki.PkiFixture.cert;
import static io.kubehop.client.pki.PkiFixture.request;
import static io.kubehop.client.pki.PkiFixture.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.client.pki.PkiFixture.FileState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second run keeps what fits, byte for byte and time for time, and makes anew exactly what does
 * not: everything on {@code regenerate}, the apiserver certificate for a new SAN, a certificate of
 * another CA, one near its end, a kubelet's serving certificate for a new node IP, and every
 * certificate after a new CA.
 */
class PkiReuseTest {

  static final List<String> SANS = List.of("10.9.8.7");
  static final List<String> NODES = List.of("node-1=127.0.0.1");
  static final List<String> LEAVES =
      List.of(
          "apiserver",
          "apiserver-kubelet-client",
          "admin",
          "nodes/node-1/kubelet",
          "nodes/node-1/kubelet-client");

  @TempDir Path dir;
  PkiLayout layout;
  ClusterPki pki;

  @BeforeEach
  void firstRun() throws Exception {
    layout = new PkiLayout(dir.resolve("home"));
    pki = new ClusterPki(layout);
    pki.ensure(request(SANS, NODES));
  }

  @Test
  void secondRunReusesEverythingWithoutWriting() throws Exception {
    Map<Path, FileState> before = ageAndSnapshot(layout.home());
    PkiResult second = pki.ensure(request(SANS, NODES));
    assertEquals(List.of(), second.generated());
    assertEquals("pki: reused", second.summary());
    assertEquals(before, snapshot(layout.home()));
    assertEquals(16, before.size(), before.keySet().toString());
  }

  @Test
  void aSubsetOfTheSansIsStillCovered() throws Exception {
    assertEquals(List.of(), pki.ensure(request(List.of(), NODES)).generated());
  }

  @Test
  void regenerateReplacesEveryCertificateAndToken() throws Exception {
    Map<Path, FileState> before = ageAndSnapshot(layout.home());
    String caSerial = cert(layout.caCert()).getSerialNumber().toString();
    String apiserverSerial = cert(layout.apiserverCert()).getSerialNumber().toString();
    List<StaticToken> tokens = TokenFile.read(layout.tokens());

    PkiResult result = pki.ensure(request(SANS, NODES, true));

    assertEquals(List.of(), result.reused());
    assertNotEquals(caSerial, cert(layout.caCert()).getSerialNumber().toString());
    assertNotEquals(apiserverSerial, cert(layout.apiserverCert()).getSerialNumber().toString());
    List<StaticToken> newTokens = TokenFile.read(layout.tokens());
    assertNotEquals(tokens.get(0).token(), newTokens.get(0).token());
    assertNotEquals(tokens.get(1).token(), newTokens.get(1).token());
    Map<Path, FileState> after = snapshot(layout.home());
    for (Path file : before.keySet()) {
      assertNotEquals(before.get(file), after.get(file), file.toString());
    }
    cert(layout.apiserverCert()).verify(cert(layout.caCert()).getPublicKey());
  }

  @Test
  void anAddedSanRenewsOnlyTheApiserverCertificate() throws Exception {
    Map<Path, FileState> before = ageAndSnapshot(layout.home());
    PkiResult result =
        pki.ensure(request(List.of("10.9.8.7", "192.168.7.1", "kubehop.example"), NODES));
    assertEquals(List.of("apiserver"), result.generated());
    assertEquals(changed(before), Set.of("pki/apiserver.crt", "pki/apiserver.key"));
    assertTrue(
        PkiGenerationTest.sans(cert(layout.apiserverCert()))
            .containsAll(Set.of("IP:192.168.7.1", "IP:10.9.8.7", "DNS:kubehop.example")));
  }

  @Test
  void aCertificateOfAnotherCaIsRenewed() throws Exception {
    PkiLayout other = new PkiLayout(dir.resolve("other"));
    new ClusterPki(other).ensure(request(SANS, NODES));
    Files.copy(other.apiserverCert(), layout.apiserverCert(), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(other.apiserverKey(), layout.apiserverKey(), StandardCopyOption.REPLACE_EXISTING);
    Map<Path, FileState> before = ageAndSnapshot(layout.home());

    assertEquals(List.of("apiserver"), pki.ensure(request(SANS, NODES)).generated());
    assertEquals(changed(before), Set.of("pki/apiserver.crt", "pki/apiserver.key"));
    cert(layout.apiserverCert()).verify(cert(layout.caCert()).getPublicKey());
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRenewed() throws Exception {
    Files.copy(layout.adminKey(), layout.apiserverKey(), StandardCopyOption.REPLACE_EXISTING);
    assertEquals(List.of("apiserver"), pki.ensure(request(SANS, NODES)).generated());
    assertTrue(
        CertChecks.matches(
            PemFiles.readKey(layout.apiserverKey()), cert(layout.apiserverCert()).getPublicKey()));
  }

  @Test
  void aNewNodeIpRenewsOnlyThatKubeletsServingCertificate() throws Exception {
    Map<Path, FileState> before = ageAndSnapshot(layout.home());
    PkiResult result = pki.ensure(request(SANS, List.of("node-1=127.0.0.2")));
    assertEquals(List.of("nodes/node-1/kubelet"), result.generated());
    assertEquals(
        changed(before), Set.of("pki/nodes/node-1/kubelet.crt", "pki/nodes/node-1/kubelet.key"));
  }

  @Test
  void anAddedNodeGetsItsFilesAndNothingElseChanges() throws Exception {
    Map<Path, FileState> before = ageAndSnapshot(layout.home());
    PkiResult result = pki.ensure(request(SANS, List.of("node-1=127.0.0.1", "node-2=127.0.0.1")));
    assertEquals(
        List.of("nodes/node-2/kubelet", "nodes/node-2/kubelet-client", "nodes/node-2/kubeconfig"),
        result.generated());
    assertEquals(Set.of(), changed(before));
  }

  @Test
  void certificatesNearTheirEndAreRenewedButTheCaIsKept() throws Exception {
    PkiLayout aged = new PkiLayout(dir.resolve("aged"));
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(340)), ZoneOffset.UTC);
    new ClusterPki(aged, past, new SecureRandom()).ensure(request(SANS, NODES));
    Map<Path, FileState> before = ageAndSnapshot(aged.home());

    PkiResult result = new ClusterPki(aged).ensure(request(SANS, NODES));

    assertEquals(LEAVES, result.generated(), "25 days left: renewed");
    assertEquals(
        List.of("ca", "tokens", "kubeconfig", "kubeconfig-viewer", "nodes/node-1/kubeconfig"),
        result.reused());
    assertEquals(
        before.get(Path.of("pki/ca.crt")), snapshot(aged.home()).get(Path.of("pki/ca.crt")));
    assertTrue(
        cert(aged.apiserverCert())
            .getNotAfter()
            .toInstant()
            .isAfter(Instant.now().plus(Duration.ofDays(300))));
  }

  @Test
  void aNewCaRenewsEveryCertificateAndTheKubeconfigsButKeepsTheTokens() throws Exception {
    Files.delete(layout.caKey());
    PkiResult result = pki.ensure(request(SANS, NODES));
    List<String> expected = new java.util.ArrayList<>(List.of("ca"));
    expected.addAll(LEAVES);
    expected.addAll(List.of("kubeconfig", "kubeconfig-viewer", "nodes/node-1/kubeconfig"));
    assertEquals(expected, result.generated());
    assertEquals(List.of("tokens"), result.reused());
    cert(layout.kubeletClientCert("node-1")).verify(cert(layout.caCert()).getPublicKey());
  }

  @Test
  void anUnreadableKeyIsAnErrorNotAReplacement() throws Exception {
    Files.writeString(layout.apiserverKey(), "not a key\n");
    PkiException e = assertThrows(PkiException.class, () -> pki.ensure(request(SANS, NODES)));
    assertEquals(
        "cannot read private key " + layout.apiserverKey() + ": no PRIVATE KEY block",
        e.getMessage());
    assertEquals("not a key\n", Files.readString(layout.apiserverKey()));
    // --regenerate is the way out.
    assertFalse(pki.ensure(request(SANS, NODES, true)).generated().isEmpty());
    PemFiles.readKey(layout.apiserverKey());
  }

  @Test
  void aTokenFileForOtherUsersIsRewritten() throws Exception {
    Files.writeString(layout.tokens(), "abc,someone,someone,\"system:masters\"\n");
    PkiResult result = pki.ensure(request(SANS, NODES));
    assertEquals(List.of("tokens", "kubeconfig", "kubeconfig-viewer"), result.generated());
    assertEquals(2, TokenFile.read(layout.tokens()).size());
  }

  /** The files of {@code before} whose bytes or time changed (new files are not listed). */
  private Set<String> changed(Map<Path, FileState> before) throws Exception {
    Map<Path, FileState> after = snapshot(layout.home());
    Set<String> changed = new TreeSet<>();
    for (Map.Entry<Path, FileState> e : before.entrySet()) {
      if (!e.getValue().equals(after.get(e.getKey()))) {
        changed.add(e.getKey().toString());
      }
    }
    return changed;
  }
}
