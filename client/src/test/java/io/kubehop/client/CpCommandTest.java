package io.kubehop.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubehop.client.testing.Cli;
import io.kubehop.testkit.Kubeconfigs;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code cp}'s argument errors, which come before any request: the same stdout, stderr and exit
 * code as kubectl 1.33 (the copies themselves run against a real cluster in e2e's KubehopCpIT).
 */
class CpCommandTest {

  @TempDir Path dir;
  private Path kubeconfig;

  @BeforeEach
  void kubeconfig() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort(); // nothing listens: no case may reach the server
    }
    kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, Kubeconfigs.text("http://127.0.0.1:" + port, "default"));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "one argument",
            new String[] {"cp", "a"},
            "error: source and destination are required\n"),
        Arguments.of(
            "both remote",
            new String[] {"cp", "demo:/a", "demo:/b"},
            "error: one of src or dest must be a local file specification\n"),
        Arguments.of(
            "both local",
            new String[] {"cp", "/a", "/b"},
            "error: one of src or dest must be a remote file specification\n"),
        Arguments.of(
            "colon first",
            new String[] {"cp", ":a", "/b"},
            "error: filespec must match the canonical format: [[namespace/]pod:]file/path\n"),
        Arguments.of(
            "empty remote path",
            new String[] {"cp", "demo:", "/b"},
            "error: filepath can not be empty\n"),
        Arguments.of(
            "missing local source",
            new String[] {"cp", "/nonexistent/src", "demo:/tmp"},
            "error: /nonexistent/src doesn't exist in local filesystem\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void argumentErrorsAreKubectls(String name, String[] args, String stderr) throws IOException {
    ProcessResult expected = new ProcessResult(1, "", stderr);
    assertEquals(expected, Cli.run(kubeconfig, args));
    ProcessResult kubectl =
        new Kubectl("1.33", kubeconfig, Files.createTempDirectory(dir, "cache")).run(args);
    assertEquals(expected, kubectl);
  }
}
