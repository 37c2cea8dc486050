package io.kubehop.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.client.rest.Kubeconfig;
import io.kubehop.client.rest.KubeconfigException;
import io.kubehop.client.rest.KubeconfigLoader;
import io.kubehop.testkit.Kubeconfigs;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kubeconfig parsing and the flag / KUBECONFIG / KUBEHOP_HOME / ~/.kubehop precedence. */
class KubeconfigTest {

  static final String TWO_CONTEXTS =
      """
      apiVersion: v1
      kind: Config
      clusters:
      - name: local
        cluster:
          server: http://127.0.0.1:6443
      - name: secure
        cluster:
          server: https://127.0.0.1:6444
          certificate-authority-data: %s
      users:
      - name: admin
        user:
          token: t0ken
      contexts:
      - name: plain
        context: {cluster: local, user: admin}
      - name: tls
        context: {cluster: secure, user: admin, namespace: team-a}
      current-context: tls
      """
          .formatted(Base64.getEncoder().encodeToString("CA PEM".getBytes(StandardCharsets.UTF_8)));

  @TempDir Path dir;

  @Test
  void parsesCurrentContext() throws Exception {
    Path file = write("config", TWO_CONTEXTS);

    Kubeconfig config = Kubeconfig.load(file, null);

    assertEquals("tls", config.contextName());
    assertEquals("team-a", config.namespace());
    assertEquals(URI.create("https://127.0.0.1:6444"), config.connection().server());
    assertArrayEquals("CA PEM".getBytes(StandardCharsets.UTF_8), config.connection().tls().caPem());
    assertFalse(config.connection().tls().insecureSkipVerify());
    assertEquals(Optional.of("Bearer t0ken"), config.connection().authorization());
    assertEquals("127.0.0.1:6444", config.connection().hostPort());
  }

  @Test
  void explicitContextAndTokenOnlyOverTls() throws Exception {
    Kubeconfig config = Kubeconfig.load(write("config", TWO_CONTEXTS), "plain");

    assertEquals("default", config.namespace(), "no namespace in the context means default");
    assertEquals(Optional.of("t0ken"), config.connection().bearerToken());
    assertEquals(
        Optional.empty(),
        config.connection().authorization(),
        "client-go sends no token over http");
  }

  @Test
  void unknownContextIsAnError() throws Exception {
    Path file = write("config", TWO_CONTEXTS);

    KubeconfigException e =
        assertThrows(KubeconfigException.class, () -> Kubeconfig.load(file, "nope"));
    assertEquals("context was not found for specified context: nope", e.getMessage());
  }

  @Test
  void precedenceFlagThenEnvThenKubehopHomeThenUserHome() throws Exception {
    Path flag = write("flag/kubeconfig", Kubeconfigs.text("http://127.0.0.1:1", "from-flag"));
    Path env = write("env/kubeconfig", Kubeconfigs.text("http://127.0.0.1:2", "from-env"));
    write("khome/kubeconfig", Kubeconfigs.text("http://127.0.0.1:3", "from-kubehop-home"));
    write("home/.kubehop/kubeconfig", Kubeconfigs.text("http://127.0.0.1:4", "from-user-home"));
    Map<String, String> all =
        Map.of(
            "KUBECONFIG",
            env + ":" + dir.resolve("other"),
            "KUBEHOP_HOME",
            dir.resolve("khome").toString());
    String home = dir.resolve("home").toString();

    assertEquals(
        "from-flag", new KubeconfigLoader(all, home).load(flag.toString(), null).namespace());
    assertEquals("from-env", new KubeconfigLoader(all, home).load(null, null).namespace());
    assertEquals(
        "from-kubehop-home",
        new KubeconfigLoader(Map.of("KUBEHOP_HOME", dir.resolve("khome").toString()), home)
            .load(null, null)
            .namespace());
    assertEquals(
        "from-user-home", new KubeconfigLoader(Map.of(), home).load(null, null).namespace());
    assertEquals(
        dir.resolve("home/.kubehop/kubeconfig"),
        new KubeconfigLoader(Map.of("KUBECONFIG", ""), home).locate(null));
  }

  @Test
  void missingFileSaysWhereItLooked() {
    KubeconfigException e =
        assertThrows(
            KubeconfigException.class,
            () -> new KubeconfigLoader(Map.of(), dir.toString()).load(null, null));
    assertTrue(
        e.getMessage().contains(dir.resolve(".kubehop/kubeconfig").toString()), e.getMessage());
  }

  private Path write(String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }
}
