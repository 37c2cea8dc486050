package io.kubehop.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubehop.client.rest.Kubeconfig;
import io.kubehop.client.rest.KubeconfigException;
import io.kubehop.client.rest.KubeconfigLoader;
import io.kubehop.client.testing.Cli;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KUBECONFIG as a list of files merged by client-go's rules, paths relative to the file that names
 * them, token files, and kubectl's configuration error messages.
 */
class KubeconfigMergeTest {

  @TempDir Path dir;

  /** The first file: cluster "shared" and user "alice", current-context "first". */
  static final String FIRST =
      """
      apiVersion: v1
      kind: Config
      clusters:
      - name: shared
        cluster:
          server: http://127.0.0.1:1001
      users:
      - name: alice
        user:
          token: from-first
      contexts:
      - name: first
        context: {cluster: shared, user: alice, namespace: one}
      current-context: first
      """;

  /**
   * The second file redefines "shared" (with a field the first lacks) and "first", adds its own
   * context and sets its own current-context: only new names count.
   */
  static final String SECOND =
      """
      apiVersion: v1
      kind: Config
      clusters:
      - name: shared
        cluster:
          server: https://127.0.0.1:2002
          insecure-skip-tls-verify: true
      - name: own
        cluster:
          server: https://127.0.0.1:2003
          certificate-authority: certs/ca.pem
      users:
      - name: bob
        user:
          tokenFile: tokens/bob
      contexts:
      - name: first
        context: {cluster: own, user: bob, namespace: two}
      - name: second
        context: {cluster: own, user: bob}
      current-context: second
      """;

  @Test
  void firstFileToDefineANameWinsWholeEntry() throws Exception {
    Path first = write("a/config", FIRST);
    Path second = write("b/config", SECOND);
    write("b/certs/ca.pem", "CA");
    write("b/tokens/bob", "bob-token\n");

    Kubeconfig config = loader(first + ":" + second).load(null, null);

    assertEquals("first", config.contextName(), "current-context of the first file that sets it");
    assertEquals("one", config.namespace(), "context \"first\" from the first file");
    assertEquals(URI.create("http://127.0.0.1:1001"), config.connection().server());
    assertEquals(
        false,
        config.connection().tls().insecureSkipVerify(),
        "the second file's \"shared\" is discarded whole, even the fields the first lacks");
    assertEquals(first, config.path());
  }

  @Test
  void laterFilesAddNewNamesWithPathsRelativeToTheirOwnFile() throws Exception {
    Path first = write("a/config", FIRST);
    Path second = write("b/config", SECOND);
    write("b/certs/ca.pem", "CA");
    write("b/tokens/bob", "  bob-token\n");

    Kubeconfig config = loader(first + ":" + second).load(null, "second");

    assertEquals(URI.create("https://127.0.0.1:2003"), config.connection().server());
    assertArrayEquals(
        "CA".getBytes(StandardCharsets.UTF_8),
        config.connection().tls().caPem(),
        "certs/ca.pem next to the second file");
    assertEquals(Optional.of("bob-token"), config.connection().bearerToken(), "trimmed");
    assertEquals("default", config.namespace());
  }

  @Test
  void currentContextComesFromTheFirstFileThatSetsIt() throws Exception {
    Path noCurrent = write("a/config", "apiVersion: v1\nkind: Config\n");
    Path second = write("b/config", SECOND);
    write("b/certs/ca.pem", "CA");
    write("b/tokens/bob", "bob-token");

    assertEquals(
        "second", loader(noCurrent + ":" + second).load(null, null).contextName(), "empty skipped");
  }

  @Test
  void missingListedFilesAreSkippedButAMissingFlagFileIsAnError() throws Exception {
    Path first = write("a/config", FIRST);
    KubeconfigLoader loader = loader(dir.resolve("absent") + "::" + first + ":" + first);

    assertEquals("first", loader.load(null, null).contextName());
    assertEquals(
        java.util.List.of(dir.resolve("absent"), first),
        loader.locateAll(null),
        "empty entries dropped, duplicates read once");
    KubeconfigException e =
        assertThrows(
            KubeconfigException.class, () -> loader.load(dir.resolve("absent").toString(), null));
    assertEquals(
        "error: stat " + dir.resolve("absent") + ": no such file or directory", e.kubectlMessage());
  }

  @Test
  void kubeconfigFlagReadsOneFileWithoutMerging() throws Exception {
    Path first = write("a/config", FIRST);
    Path second = write("b/config", SECOND);

    KubeconfigException e =
        assertThrows(
            KubeconfigException.class,
            () -> loader(first + ":" + second).load(first.toString(), "second"));
    assertEquals(
        "Error in configuration: context was not found for specified context: second",
        e.kubectlMessage());
  }

  @Test
  void emptyTokenFileIsAnError() throws Exception {
    Path second = write("b/config", SECOND);
    write("b/certs/ca.pem", "CA");
    write("b/tokens/bob", " \n");

    KubeconfigException e =
        assertThrows(KubeconfigException.class, () -> Kubeconfig.load(second, null));
    assertEquals(
        "error: read empty token from file \"" + dir.resolve("b/tokens/bob") + "\"",
        e.kubectlMessage());
  }

  static final String UNREADABLE =
      """
      apiVersion: v1
      kind: Config
      clusters:
      - name: c1
        cluster:
          server: https://127.0.0.1:1
          certificate-authority: ca.pem
      users:
      - name: u1
        user:
          client-certificate: sub/cert.pem
          client-key: key.pem
      contexts:
      - name: ctx1
        context: {cluster: c1, user: u1}
      current-context: ctx1
      """;

  /** The same words and layout as kubectl 1.33 for each configuration mistake. */
  @Test
  void configurationErrorsAsKubectlPrintsThem() throws Exception {
    Path file = write("conf/config", UNREADABLE);
    Path conf = dir.resolve("conf");

    ProcessResult missingFiles = Cli.run(file, "get", "pods");
    ProcessResult missingContext = Cli.run(file, "get", "pods", "--context", "x");

    assertEquals(
        new ProcessResult(
            1,
            "",
            "Error in configuration: \n"
                + "* unable to read client-cert "
                + conf.resolve("sub/cert.pem")
                + " for u1 due to open "
                + conf.resolve("sub/cert.pem")
                + ": no such file or directory\n"
                + "* unable to read client-key "
                + conf.resolve("key.pem")
                + " for u1 due to open "
                + conf.resolve("key.pem")
                + ": no such file or directory\n"
                + "* unable to read certificate-authority "
                + conf.resolve("ca.pem")
                + " for c1 due to open "
                + conf.resolve("ca.pem")
                + ": no such file or directory\n"),
        missingFiles);
    assertEquals(
        new ProcessResult(
            1, "", "Error in configuration: context was not found for specified context: x\n"),
        missingContext);
    Kubectl kubectl = new Kubectl("1.33", file, Files.createTempDirectory(dir, "cache"));
    assertEquals(missingFiles, kubectl.run("get", "pods"));
    assertEquals(missingContext, kubectl.run("get", "pods", "--context", "x"));
  }

  private KubeconfigLoader loader(String kubeconfigEnv) {
    return new KubeconfigLoader(Map.of("KUBECONFIG", kubeconfigEnv), dir.toString());
  }

  private Path write(String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }
}
