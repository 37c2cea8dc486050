package io.kubehop.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.client.testing.Cli;
import io.kubehop.client.testing.FakeApiServer;
import io.kubehop.testkit.Kubeconfigs;
import io.kubehop.testkit.ProcessResult;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https apiservers: the CA from the kubeconfig is trusted, the bearer token is sent (only over
 * TLS), and an unknown CA is refused. The server certificate is made once by the JDK's keytool.
 */
class TlsTest {

  static final String TABLE =
      "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":"
          + "{\"resourceVersion\":\"1\"},\"columnDefinitions\":[{\"name\":\"Name\",\"type\":\"string\",\"priority\":0}],"
          + "\"rows\":[{\"cells\":[\"web\"],\"object\":{\"metadata\":{\"name\":\"web\"}}}]}";

  @TempDir static Path dir;
  static FakeApiServer server;
  static String caPem;

  @BeforeAll
  static void start() throws Exception {
    Path keystore = dir.resolve("server.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "san=ip:127.0.0.1",
        "-validity",
        "2",
        "-keystore",
        keystore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        "changeit");
    Path pem = dir.resolve("ca.pem");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "server",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-file",
        pem.toString());
    caPem = Files.readString(pem);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, "changeit".toCharArray());
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(keys.getKeyManagers(), null, null);
    server = FakeApiServer.https(ssl);
    server.on("GET", "/api/v1/namespaces/default/pods", FakeApiServer.json(200, TABLE));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void trustsKubeconfigCaAndSendsBearerToken() throws Exception {
    Path kubeconfig =
        kubeconfig(
            "certificate-authority-data: "
                + Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII)));

    ProcessResult result = Cli.run(kubeconfig, "get", "pods");

    assertEquals(new ProcessResult(0, "NAME\nweb\n", ""), result);
    List<FakeApiServer.Request> requests = server.requests();
    assertEquals("Bearer secret-token", requests.get(requests.size() - 1).header("Authorization"));
  }

  @Test
  void insecureSkipTlsVerifyTrustsAnyCertificate() throws Exception {
    ProcessResult result = Cli.run(kubeconfig("insecure-skip-tls-verify: true"), "get", "pods");

    assertEquals(new ProcessResult(0, "NAME\nweb\n", ""), result);
  }

  @Test
  void refusesUnknownAuthority() throws Exception {
    ProcessResult result = Cli.run(kubeconfig(""), "get", "pods");

    assertEquals(1, result.exitCode());
    assertTrue(result.stderr().startsWith("Unable to connect to the server: "), result.stderr());
  }

  private static Path kubeconfig(String tlsLine) throws Exception {
    Path file = Files.createTempFile(dir, "kubeconfig", "");
    Files.writeString(file, Kubeconfigs.text(server.url(), "default", tlsLine));
    return file;
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, output);
  }
}
