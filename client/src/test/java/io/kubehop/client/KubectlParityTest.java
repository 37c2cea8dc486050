package io.kubehop.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kubehop.client.testing.Canned;
import io.kubehop.client.testing.Cli;
import io.kubehop.client.testing.FakeApiServer;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs stock kubectl 1.33 and kubehop against the same canned apiserver answers and requires
 * byte-identical stdout (and the same stderr and exit code). Fails when kubectl is missing under
 * {@code CI=true}.
 */
class KubectlParityTest {

  static FakeApiServer server;
  @TempDir static Path dir;
  static Path kubeconfig;

  @BeforeAll
  static void start() throws Exception {
    server = new FakeApiServer();
    String podsTable = Canned.read("pods-table.json");
    String pod = Canned.read("pod.json");
    String podList =
        "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"100\"},"
            + "\"items\":["
            + pod.replace("\"kind\":\"Pod\",\"apiVersion\":\"v1\",", "")
            + "]}";
    String emptyTable =
        "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{\"resourceVersion\":"
            + "\"7\"},\"columnDefinitions\":[{\"name\":\"Name\",\"type\":\"string\",\"format\":\"name\",\"priority\":0}],"
            + "\"rows\":[]}";
    server
        .on("GET", "/api/v1/namespaces/default/pods", Canned.byAccept(podsTable, podList))
        .on("GET", "/api/v1/pods", Canned.byAccept(podsTable, podList))
        .on(
            "GET",
            "/api/v1/namespaces/empty/pods",
            Canned.byAccept(
                emptyTable,
                "{\"kind\":\"PodList\","
                    + "\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"7\"},\"items\":[]}"))
        .on("GET", "/api/v1/namespaces/default/pods/web", Canned.byAccept(podsTable, pod))
        .on("GET", "/api/v1/nodes", FakeApiServer.json(200, Canned.read("nodes-table.json")))
        .on("GET", "/api/v1/namespaces/other/pods", Canned.byAccept(podsTable, podList));
    String notFound =
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
            + "\"message\":\"pods \\\"missing\\\" not found\",\"reason\":\"NotFound\",\"details\":{\"name\":\"missing\","
            + "\"kind\":\"pods\"},\"code\":404}";
    server
        .on("GET", "/api/v1/namespaces/default/pods/missing", FakeApiServer.json(404, notFound))
        .on(
            "GET",
            "/api/v1/namespaces/default/pods?resourceVersion=100&watch=true",
            FakeApiServer.chunks(
                "application/json", Canned.read("watch-pods.jsonl").split("(?<=\n)")));
    server.on(
        "GET",
        "/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Dweb&resourceVersion=0&watch=true",
        FakeApiServer.chunks(
            "application/json",
            Canned.read("watch-pods.jsonl").split("(?<=\n)")[0],
            Canned.read("watch-pods.jsonl").split("(?<=\n)")[1]));
    server.on(
        "GET",
        "/api/v1/namespaces/empty/pods?resourceVersion=7&watch=true",
        FakeApiServer.chunks(
            "application/json", Canned.read("watch-pods.jsonl").split("(?<=\n)")[0]));
    kubeconfig = server.writeKubeconfig(Files.createDirectories(dir.resolve("config")));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<Arguments> commands() {
    return Stream.of(
        Arguments.of((Object) new String[] {"get", "pods"}),
        Arguments.of((Object) new String[] {"get", "pods", "-o", "wide"}),
        Arguments.of((Object) new String[] {"get", "pods", "-A"}),
        Arguments.of((Object) new String[] {"get", "po", "-A", "-o", "wide"}),
        Arguments.of((Object) new String[] {"get", "pods", "-n", "empty"}),
        Arguments.of((Object) new String[] {"get", "pod", "web", "-o", "yaml"}),
        Arguments.of((Object) new String[] {"get", "pod", "web", "-o", "json"}),
        Arguments.of((Object) new String[] {"get", "pods", "-o", "yaml"}),
        Arguments.of((Object) new String[] {"get", "pods", "-o", "json"}),
        Arguments.of((Object) new String[] {"get", "pods", "-o", "name"}),
        Arguments.of((Object) new String[] {"get", "pod", "missing"}),
        Arguments.of((Object) new String[] {"get", "pod", "web", "missing"}),
        Arguments.of((Object) new String[] {"get", "pods", "-w"}),
        Arguments.of((Object) new String[] {"get", "pods", "-n", "empty", "-w"}),
        Arguments.of((Object) new String[] {"get", "pod/web"}),
        Arguments.of((Object) new String[] {"get", "nodes"}),
        Arguments.of((Object) new String[] {"get", "no", "-A", "-o", "wide"}),
        Arguments.of(
            (Object) new String[] {"-n", "other", "get", "pods", "-l", "app=web,tier!=db"}),
        Arguments.of((Object) new String[] {"get", "pods", "--watch", "-o", "wide"}),
        Arguments.of((Object) new String[] {"get", "pods", "--watch-only"}),
        Arguments.of((Object) new String[] {"get", "pod", "web", "-w"}),
        Arguments.of((Object) new String[] {"get", "pod", "web", "--watch-only", "-o", "wide"}));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void printsLikeKubectl(String[] args) throws Exception {
    Path cache = Files.createTempDirectory(dir, "cache");
    int first = server.requests().size();
    ProcessResult expected = new Kubectl("1.33", kubeconfig, cache).run(args);
    int second = server.requests().size();
    ProcessResult actual = Cli.run(kubeconfig, args);
    List<String> theirUris =
        server.requests().subList(first, second).stream().map(FakeApiServer.Request::uri).toList();
    List<String> ourUris =
        server.requests().subList(second, server.requests().size()).stream()
            .map(FakeApiServer.Request::uri)
            .toList();
    assertEquals(theirUris, ourUris, "requests of " + String.join(" ", args));
    assertFalse(
        expected.stdout().isEmpty() && expected.stderr().isEmpty(), "kubectl printed nothing");
    if (System.getenv("PARITY_DUMP") != null) {
      Files.writeString(
          Path.of(System.getenv("PARITY_DUMP"), String.join("_", args) + ".txt"),
          expected.stdout()
              + "\n----stderr:\n"
              + expected.stderr()
              + "\n----ours:\n"
              + actual.stdout()
              + actual.stderr());
    }
    assertEquals(expected.stdout(), actual.stdout(), "stdout of " + String.join(" ", args));
    assertEquals(expected.stderr(), actual.stderr(), "stderr of " + String.join(" ", args));
    assertEquals(expected.exitCode(), actual.exitCode(), "exit code of " + String.join(" ", args));
  }
}
