package io.kubehop.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.client.testing.Cli;
import io.kubehop.client.testing.FakeApiServer;
import io.kubehop.client.testing.Kubeconfigs;
import io.kubehop.client.testing.RealKubectl;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Messages and exit codes: API Status errors, connection refused, usage. */
class ErrorsTest {

  @TempDir
  Path dir;

  @Test
  void statusErrorPrintsReasonAndMessage() throws Exception {
    try (FakeApiServer server = new FakeApiServer()) {
      server.on("GET", "/api/v1/namespaces/default/pods/x", FakeApiServer.json(404, "{\"kind\":\"Status\","
          + "\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"pods \\\"x\\\" not found\","
          + "\"reason\":\"NotFound\",\"details\":{\"name\":\"x\",\"kind\":\"pods\"},\"code\":404}"));
      Path kubeconfig = server.writeKubeconfig(dir);

      Cli.Result result = Cli.run(kubeconfig, "get", "pod", "x", "-o", "yaml");

      assertEquals(new Cli.Result(1, "", "Error from server (NotFound): pods \"x\" not found\n"), result);
      assertEquals("application/json", server.requests().get(0).header("Accept"));
      assertNull(server.requests().get(0).header("Authorization"), "no token over plain http, like client-go");
    }
  }

  @Test
  void verboseLogsEachRequestToStderr() throws Exception {
    try (FakeApiServer server = new FakeApiServer()) {
      server.on("GET", "/api/v1/namespaces/default/pods/x", FakeApiServer.json(200, "{\"kind\":\"Pod\","
          + "\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"x\"}}"));
      Cli.Result result = Cli.run(server.writeKubeconfig(dir), "get", "pod", "x", "-o", "name", "-v=6");

      assertEquals("pod/x\n", result.out());
      assertTrue(result.err().matches("GET " + server.url().replace(".", "\\.")
          + "/api/v1/namespaces/default/pods/x 200 OK in \\d+ milliseconds\n"), result.err());
    }
  }

  @Test
  void nonStatusErrorBodyGetsClientGoGenericMessage() throws Exception {
    try (FakeApiServer server = new FakeApiServer()) {
      server.on("GET", "/api/v1/namespaces/default/pods", exchange -> {
        byte[] body = "boom".getBytes();
        exchange.sendResponseHeaders(500, body.length);
        exchange.getResponseBody().write(body);
      });
      Cli.Result result = Cli.run(server.writeKubeconfig(dir), "get", "pods");

      assertEquals(new Cli.Result(1, "", "Error from server (InternalError): an error on the server (\"boom\") "
          + "has prevented the request from succeeding\n"), result);
    }
  }

  @Test
  void connectionRefusedLikeKubectl() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, Kubeconfigs.plain("http://127.0.0.1:" + port, "default"));
    String expected = "The connection to the server 127.0.0.1:" + port
        + " was refused - did you specify the right host or port?\n";

    assertEquals(new Cli.Result(1, "", expected), Cli.run(kubeconfig, "get", "pods"));
    assertEquals(new Cli.Result(1, "", expected), Cli.run(kubeconfig, "delete", "pod", "x"));

    Cli.Result kubectl = RealKubectl.run(kubeconfig, Files.createTempDirectory(dir, "cache"), "get", "pods");
    assertEquals(1, kubectl.rc());
    assertTrue(kubectl.err().endsWith(expected), kubectl.err());
  }

  @Test
  void noSubcommandPrintsUsage() {
    Cli.Result result = Cli.run(null);

    assertEquals(0, result.rc());
    assertTrue(result.out().startsWith("Usage: kubehop "), result.out());
    assertTrue(result.out().contains("get") && result.out().contains("logs"), result.out());
  }

  @Test
  void helpEverywhere() {
    for (String command : new String[] {"get", "run", "delete", "apply", "logs"}) {
      Cli.Result result = Cli.run(null, command, "--help");
      assertEquals(0, result.rc(), command);
      assertTrue(result.out().startsWith("Usage: kubehop " + command), result.out());
    }
  }

  @Test
  void unknownFlagIsAUsageError() {
    Cli.Result result = Cli.run(null, "get", "pods", "--bogus=1");

    assertEquals(new Cli.Result(1, "", "error: unknown flag: --bogus\nSee 'kubehop get --help' for usage.\n"),
        result);
  }

  @Test
  void missingKubeconfigIsAnError() {
    Cli.Result result = Cli.run(null, "get", "pods", "--kubeconfig", dir.resolve("none").toString());

    assertEquals(new Cli.Result(1, "", "error: stat " + dir.resolve("none") + ": no such file or directory\n"),
        result);
  }

  @Test
  void remoteExitCodeBecomesProcessExitCode() {
    assertEquals(42, new io.kubehop.client.cli.ExitCodes(System.err).getExitCode(new ExitCodeException(42)));
  }
}
