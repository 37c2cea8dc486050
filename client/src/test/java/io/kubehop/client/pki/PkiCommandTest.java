package io.kubehop.client.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.client.testing.Cli;
import io.kubehop.testkit.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubehop pki}, as {@code bin/kubehop up} runs it: one line on stderr, never a secret, exit
 * 1 with {@code error: …} for what the user must fix, and hidden from help.
 */
class PkiCommandTest {

  @TempDir Path home;

  @Test
  void generatesThenReusesAndPrintsNoSecret() throws Exception {
    ProcessResult first = pki("--node", "node-1=127.0.0.1", "--apiserver-san", "10.0.0.5");
    assertEquals(
        new ProcessResult(
            0,
            "",
            "pki: generated ca, apiserver, apiserver-kubelet-client, admin, nodes/node-1/kubelet,"
                + " nodes/node-1/kubelet-client, tokens, kubeconfig, kubeconfig-viewer,"
                + " nodes/node-1/kubeconfig\n"),
        first);
    assertEquals(new ProcessResult(0, "", "pki: reused\n"), pki("--node", "node-1=127.0.0.1"));
    ProcessResult again = pki("--node", "node-1=127.0.0.1", "--regenerate");
    assertEquals(0, again.exitCode());
    for (StaticToken token : TokenFile.read(new PkiLayout(home).tokens())) {
      assertFalse(again.stderr().contains(token.token()));
    }
    assertTrue(Files.exists(new PkiLayout(home).kubeletKubeconfig("node-1")));
  }

  @Test
  void anUnreadableKeyIsAnErrorNamingTheFile() throws Exception {
    pki();
    PkiLayout layout = new PkiLayout(home);
    Files.writeString(layout.caKey(), "garbage");
    assertEquals(
        new ProcessResult(
            1,
            "",
            "error: pki: cannot read private key " + layout.caKey() + ": no PRIVATE KEY block\n"),
        pki());
  }

  @Test
  void badArgumentsAreUsageErrors() {
    assertEquals(
        new ProcessResult(
            1, "", "error: invalid node \"node-1\": want NAME=IP, e.g. node-1=127.0.0.1\n"),
        pki("--node", "node-1"));
    assertEquals(
        new ProcessResult(
            1, "", "error: invalid node name \"../x\": must be a lower case DNS-1123 subdomain\n"),
        pki("--node", "../x=127.0.0.1"));
    assertEquals(
        new ProcessResult(
            1, "", "error: invalid SAN \"a b\": neither an IP address nor a DNS name\n"),
        pki("--apiserver-san", "a b"));
    assertEquals(
        new ProcessResult(
            1, "", "error: invalid server \"http://127.0.0.1:6443\": want https://HOST:PORT\n"),
        Cli.run(null, "pki", "--home", home.toString(), "--server", "http://127.0.0.1:6443"));
    assertFalse(Files.exists(home.resolve("pki")), "nothing written");
  }

  @Test
  void isHiddenFromHelp() {
    ProcessResult help = Cli.run(null, "--help");
    assertFalse(help.stdout().contains("pki"), help.stdout());
  }

  private ProcessResult pki(String... args) {
    List<String> all =
        new java.util.ArrayList<>(
            List.of("pki", "--home", home.toString(), "--server", "https://127.0.0.1:6443"));
    all.addAll(List.of(args));
    return Cli.run(null, all.toArray(String[]::new));
  }
}
