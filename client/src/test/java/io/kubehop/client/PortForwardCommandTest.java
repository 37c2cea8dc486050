package io.kubehop.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubehop.client.testing.Cli;
import io.kubehop.client.testing.FakeApiServer;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code port-forward}'s argument checks, in kubectl's order (usage, pod GET, named and UDP ports,
 * the Running check, then addresses and ports), each with kubectl 1.33's message and exit code;
 * none of them reaches the upgrade.
 */
class PortForwardCommandTest {

  static final String WEB =
      "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"web\",\"namespace\":"
          + "\"default\",\"uid\":\"u1\"},\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":"
          + "\"nginx\",\"ports\":[{\"name\":\"http\",\"containerPort\":80,\"protocol\":\"TCP\"},"
          + "{\"name\":\"dns\",\"containerPort\":53,\"protocol\":\"UDP\"}]}]},"
          + "\"status\":{\"phase\":\"Running\"}}";
  static final String PENDING = WEB.replace("Running", "Pending").replace("\"web\"", "\"slow\"");
  static final String NOT_FOUND =
      "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
          + "\"message\":\"pods \\\"nope\\\" not found\",\"reason\":\"NotFound\","
          + "\"details\":{\"name\":\"nope\",\"kind\":\"pods\"},\"code\":404}";

  @TempDir Path dir;
  FakeApiServer server;
  Path kubeconfig;

  @BeforeEach
  void start() throws Exception {
    server = new FakeApiServer();
    server
        .on("GET", "/api/v1/namespaces/default/pods/web", FakeApiServer.json(200, WEB))
        .on("GET", "/api/v1/namespaces/default/pods/slow", FakeApiServer.json(200, PENDING))
        .on("GET", "/api/v1/namespaces/default/pods/nope", FakeApiServer.json(404, NOT_FOUND));
    kubeconfig = server.writeKubeconfig(dir);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(
            List.of(),
            "error: TYPE/NAME and list of ports are required for port-forward\n"
                + "See 'kubehop port-forward -h' for help and examples\n"),
        Arguments.of(
            List.of("pod/web"),
            "error: TYPE/NAME and list of ports are required for port-forward\n"
                + "See 'kubehop port-forward -h' for help and examples\n"),
        Arguments.of(
            List.of("--pod-running-timeout=x", "web", "80"),
            "error: invalid argument \"x\" for \"--pod-running-timeout\" flag: time: invalid"
                + " duration \"x\"\nSee 'kubehop port-forward --help' for usage.\n"),
        Arguments.of(
            List.of("--pod-running-timeout=0", "web", "80"),
            "error: --pod-running-timeout must be higher than zero\n"
                + "See 'kubehop port-forward -h' for help and examples\n"),
        Arguments.of(
            List.of("nope", "80"), "Error from server (NotFound): pods \"nope\" not found\n"),
        Arguments.of(List.of("web", "abc"), "error: Pod 'web' does not have a named port 'abc'\n"),
        Arguments.of(List.of("web", "8080:"), "error: Pod 'web' does not have a named port ''\n"),
        Arguments.of(List.of("web", "53"), "error: UDP protocol is not supported for 53\n"),
        Arguments.of(List.of("web", "5353:dns"), "error: UDP protocol is not supported for dns\n"),
        Arguments.of(
            List.of("slow", "80"),
            "error: unable to forward port because pod is not running. Current status=Pending\n"),
        Arguments.of(
            List.of("web", "70000"),
            "error: error parsing local port '70000': strconv.ParseUint: parsing \"70000\": value"
                + " out of range\n"),
        Arguments.of(
            List.of("web", "x1:80"),
            "error: error parsing local port 'x1': strconv.ParseUint: parsing \"x1\": invalid"
                + " syntax\n"),
        Arguments.of(
            List.of("web", "80:-1"),
            "error: error parsing remote port '-1': strconv.ParseUint: parsing \"-1\": invalid"
                + " syntax\n"),
        Arguments.of(List.of("web", "0"), "error: remote port must be > 0\n"),
        Arguments.of(List.of("web", ":0"), "error: remote port must be > 0\n"),
        Arguments.of(
            List.of("--address", "localhost,foo", "web", "80"), "error: foo is not a valid IP\n"),
        Arguments.of(
            List.of("--address", "1.2.3.256", "web", "80"),
            "error: 1.2.3.256 is not a valid IP\n"));
  }

  /** Same message and exit code as kubectl 1.33 (its own name aside), and no upgrade. */
  @ParameterizedTest
  @MethodSource("failures")
  void failsAsKubectlDoes(List<String> args, String stderr) throws Exception {
    String[] argv = Stream.concat(Stream.of("port-forward"), args.stream()).toArray(String[]::new);
    ProcessResult ours = Cli.run(kubeconfig, argv);
    ProcessResult kubectl =
        new Kubectl("1.33", kubeconfig, Files.createTempDirectory(dir, "cache")).run(argv);

    assertEquals(new ProcessResult(1, "", stderr), ours);
    assertEquals(
        new ProcessResult(1, "", stderr.replace("'kubehop ", "'kubectl ")),
        kubectl,
        "kubectl 1.33");
    assertEquals(
        List.of(),
        server.requests().stream()
            .filter(r -> r.uri().endsWith("/portforward"))
            .map(FakeApiServer.Request::uri)
            .toList());
  }
}
