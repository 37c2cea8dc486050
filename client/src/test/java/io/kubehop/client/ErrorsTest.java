package io.kubehop.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.client.cli.ExitCodes;
import io.kubehop.client.testing.Cli;
import io.kubehop.client.testing.FakeApiServer;
import io.kubehop.testkit.Kubeconfigs;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Messages and exit codes: API Status errors, connection refused, usage. */
class ErrorsTest {

  @TempDir Path dir;

  @Test
  void statusErrorPrintsReasonAndMessage() throws Exception {
    try (FakeApiServer server = new FakeApiServer()) {
      server.on(
          "GET",
          "/api/v1/namespaces/default/pods/x",
          FakeApiServer.json(
              404,
              "{\"kind\":\"Status\","
                  + "\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"pods \\\"x\\\" not found\","
                  + "\"reason\":\"NotFound\",\"details\":{\"name\":\"x\",\"kind\":\"pods\"},\"code\":404}"));
      Path kubeconfig = server.writeKubeconfig(dir);

      ProcessResult result = Cli.run(kubeconfig, "get", "pod", "x", "-o", "yaml");

      assertEquals(
          new ProcessResult(1, "", "Error from server (NotFound): pods \"x\" not found\n"), result);
      assertEquals("application/json", server.requests().get(0).header("Accept"));
      assertNull(
          server.requests().get(0).header("Authorization"),
          "no token over plain http, like client-go");
    }
  }

  @Test
  void verboseLogsEachRequestToStderr() throws Exception {
    try (FakeApiServer server = new FakeApiServer()) {
      server.on(
          "GET",
          "/api/v1/namespaces/default/pods/x",
          FakeApiServer.json(
              200, "{\"kind\":\"Pod\"," + "\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"x\"}}"));
      ProcessResult result =
          Cli.run(server.writeKubeconfig(dir), "get", "pod", "x", "-o", "name", "-v=6");

      assertEquals("pod/x\n", result.stdout());
      assertTrue(
          result
              .stderr()
              .matches(
                  "GET "
                      + server.url().replace(".", "\\.")
                      + "/api/v1/namespaces/default/pods/x 200 OK in \\d+ milliseconds\n"),
          result.stderr());
    }
  }

  @Test
  void nonStatusErrorBodyGetsClientGoGenericMessage() throws Exception {
    try (FakeApiServer server = new FakeApiServer()) {
      server.on(
          "GET",
          "/api/v1/namespaces/default/pods",
          exchange -> {
            byte[] body = "boom".getBytes();
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
          });
      ProcessResult result = Cli.run(server.writeKubeconfig(dir), "get", "pods");

      assertEquals(
          new ProcessResult(
              1,
              "",
              "Error from server (InternalError): an error on the server (\"boom\") "
                  + "has prevented the request from succeeding\n"),
          result);
    }
  }

  @Test
  void connectionRefusedLikeKubectl() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, Kubeconfigs.text("http://127.0.0.1:" + port, "default"));
    String expected =
        "The connection to the server 127.0.0.1:"
            + port
            + " was refused - did you specify the right host or port?\n";

    assertEquals(new ProcessResult(1, "", expected), Cli.run(kubeconfig, "get", "pods"));
    assertEquals(new ProcessResult(1, "", expected), Cli.run(kubeconfig, "delete", "pod", "x"));

    ProcessResult kubectl =
        new Kubectl("1.33", kubeconfig, Files.createTempDirectory(dir, "cache")).run("get", "pods");
    assertEquals(1, kubectl.exitCode());
    assertTrue(kubectl.stderr().endsWith(expected), kubectl.stderr());
  }

  @Test
  void noSubcommandPrintsUsage() {
    ProcessResult result = Cli.run(null);

    assertEquals(0, result.exitCode());
    assertTrue(result.stdout().startsWith("kubehop controls a kubehop cluster"), result.stdout());
    assertTrue(
        result.stdout().contains("\nUsage:\n  kubehop [flags] [options]\n"), result.stdout());
    assertTrue(
        result.stdout().contains("get") && result.stdout().contains("logs"), result.stdout());
  }

  @Test
  void helpEverywhere() {
    for (String command : new String[] {"get", "run", "delete", "apply", "logs"}) {
      ProcessResult result = Cli.run(null, command, "--help");
      assertEquals(0, result.exitCode(), command);
      // kubectl's layout: the usage line comes last, before the pointer to `kubehop options`
      assertTrue(result.stdout().contains("\nUsage:\n  kubehop " + command + " "), result.stdout());
    }
  }

  @Test
  void unknownFlagIsAUsageError() {
    ProcessResult result = Cli.run(null, "get", "pods", "--bogus=1");

    assertEquals(
        new ProcessResult(
            1, "", "error: unknown flag: --bogus\nSee 'kubehop get --help' for usage.\n"),
        result);
  }

  @Test
  void missingKubeconfigIsAnError() {
    ProcessResult result =
        Cli.run(null, "get", "pods", "--kubeconfig", dir.resolve("none").toString());

    assertEquals(
        new ProcessResult(
            1, "", "error: stat " + dir.resolve("none") + ": no such file or directory\n"),
        result);
  }

  @Test
  void remoteExitCodeBecomesProcessExitCode() {
    assertEquals(42, new ExitCodes(System.err).getExitCode(new ExitCodeException(42)));
  }
}
