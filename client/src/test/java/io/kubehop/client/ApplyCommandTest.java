package io.kubehop.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubehop.client.testing.Cli;
import io.kubehop.client.testing.FakeApiServer;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apply -f}: create, configured (exact strategic-merge patch) and unchanged, checked against
 * kubectl.
 */
class ApplyCommandTest {

  static final String MANIFEST =
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
        labels:
          app: web
          tier: front
      spec:
        containers:
        - name: web
          image: nginx:1.25
          ports:
          - containerPort: 80
        - name: log
          image: busybox
          args: ["sh", "-c", "tail -f /dev/null"]
      """;

  /**
   * The annotation kubectl writes for MANIFEST: sorted compact JSON, namespace filled in, trailing
   * newline.
   */
  static final String LAST_APPLIED =
      "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"annotations\":{},"
          + "\"labels\":{\"app\":\"web\",\"tier\":\"front\"},\"name\":\"web\",\"namespace\":\"default\"},\"spec\":"
          + "{\"containers\":[{\"image\":\"nginx:1.25\",\"name\":\"web\",\"ports\":[{\"containerPort\":80}]},"
          + "{\"args\":[\"sh\",\"-c\",\"tail -f /dev/null\"],\"image\":\"busybox\",\"name\":\"log\"}]}}\n";

  /** What an older apply left: label old=x, image 1.24, no ports, a container "gone". */
  static final String OLD_LAST_APPLIED =
      "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"annotations\":{},"
          + "\"labels\":{\"app\":\"web\",\"old\":\"x\"},\"name\":\"web\",\"namespace\":\"default\"},\"spec\":"
          + "{\"containers\":[{\"image\":\"nginx:1.24\",\"name\":\"web\"},{\"image\":\"busybox\",\"name\":\"gone\"}]}}\n";

  @TempDir Path dir;
  FakeApiServer server;
  Path kubeconfig;
  Path manifest;

  @BeforeEach
  void start() throws Exception {
    server = new FakeApiServer();
    kubeconfig = server.writeKubeconfig(dir);
    manifest = dir.resolve("pod.yaml");
    Files.writeString(manifest, MANIFEST);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void createsAbsentPodWithLastAppliedAnnotation() throws Exception {
    server.on("POST", "/api/v1/namespaces/default/pods", FakeApiServer.echo(201));

    ProcessResult result = Cli.run(kubeconfig, "apply", "-f", manifest.toString());

    assertEquals(new ProcessResult(0, "pod/web created\n", ""), result);
    List<FakeApiServer.Request> requests = server.requests();
    assertEquals("GET /api/v1/namespaces/default/pods/web", line(requests.get(0)));
    FakeApiServer.Request post = requests.get(1);
    assertEquals(
        "POST /api/v1/namespaces/default/pods?fieldManager=kubectl-client-side-apply&fieldValidation=Strict",
        line(post));
    assertEquals("application/json", post.header("Content-Type"));
    assertEquals(
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"annotations\":{"
            + "\"kubectl.kubernetes.io/last-applied-configuration\":"
            + quote(LAST_APPLIED)
            + "},"
            + "\"labels\":{\"app\":\"web\",\"tier\":\"front\"},\"name\":\"web\",\"namespace\":\"default\"},\"spec\":"
            + "{\"containers\":[{\"image\":\"nginx:1.25\",\"name\":\"web\",\"ports\":[{\"containerPort\":80}]},"
            + "{\"args\":[\"sh\",\"-c\",\"tail -f /dev/null\"],\"image\":\"busybox\",\"name\":\"log\"}]}}\n",
        post.body());
    assertEquals(kubectlBody("POST"), post.body(), "kubectl 1.33 sends the same body");
  }

  @Test
  void patchesChangedPodWithThreeWayStrategicMergePatch() throws Exception {
    server
        .on(
            "GET",
            "/api/v1/namespaces/default/pods/web",
            FakeApiServer.json(200, live(OLD_LAST_APPLIED)))
        .on(
            "PATCH",
            "/api/v1/namespaces/default/pods/web",
            FakeApiServer.json(200, "{\"kind\":\"Pod\"}"));

    ProcessResult result = Cli.run(kubeconfig, "apply", "-f", manifest.toString());

    assertEquals(new ProcessResult(0, "pod/web configured\n", ""), result);
    FakeApiServer.Request patch = server.requests().get(1);
    assertEquals(
        "PATCH /api/v1/namespaces/default/pods/web?fieldManager=kubectl-client-side-apply"
            + "&fieldValidation=Strict",
        line(patch));
    assertEquals("application/strategic-merge-patch+json", patch.header("Content-Type"));
    assertEquals(
        "{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":"
            + quote(LAST_APPLIED)
            + "},\"labels\":{\"old\":null,\"tier\":\"front\"}},\"spec\":{"
            + "\"$setElementOrder/containers\":[{\"name\":\"web\"},{\"name\":\"log\"}],\"containers\":["
            + "{\"image\":\"nginx:1.25\",\"name\":\"web\",\"ports\":[{\"containerPort\":80}]},"
            + "{\"args\":[\"sh\",\"-c\",\"tail -f /dev/null\"],\"image\":\"busybox\",\"name\":\"log\"},"
            + "{\"$patch\":\"delete\",\"name\":\"gone\"}]}}",
        patch.body());
    assertEquals(kubectlBody("PATCH"), patch.body(), "kubectl 1.33 sends the same patch");
  }

  @Test
  void leavesUnchangedPodAlone() throws Exception {
    server.on(
        "GET", "/api/v1/namespaces/default/pods/web", FakeApiServer.json(200, live(LAST_APPLIED)));

    ProcessResult result = Cli.runWithStdin(kubeconfig, "", "apply", "-f", "-");

    assertEquals(new ProcessResult(1, "", "error: no objects passed to apply\n"), result);
    result = Cli.runWithStdin(kubeconfig, MANIFEST, "apply", "-f", "-");
    assertEquals(new ProcessResult(0, "pod/web unchanged\n", ""), result);
    assertEquals(
        List.of("GET /api/v1/namespaces/default/pods/web"),
        server.requests().stream().map(ApplyCommandTest::line).toList());
  }

  /** The live pod: the applied state plus what the apiserver adds, as a real one returns it. */
  static String live(String lastApplied) {
    boolean old = lastApplied.equals(OLD_LAST_APPLIED);
    return "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"web\",\"namespace\":\"default\","
        + "\"uid\":\"u1\",\"resourceVersion\":\"5\",\"creationTimestamp\":\"2026-11-26T10:00:00Z\",\"labels\":"
        + (old ? "{\"app\":\"web\",\"old\":\"x\"}" : "{\"app\":\"web\",\"tier\":\"front\"}")
        + ",\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":"
        + quote(lastApplied)
        + "}},"
        + "\"spec\":{\"containers\":["
        + (old
            ? "{\"name\":\"web\",\"image\":\"nginx:1.24\",\"resources\":{},\"terminationMessagePath\":"
                + "\"/dev/termination-log\"},{\"name\":\"gone\",\"image\":\"busybox\",\"resources\":{}}"
            : "{\"name\":\"web\",\"image\":\"nginx:1.25\",\"ports\":[{\"containerPort\":80,\"protocol\":\"TCP\"}],"
                + "\"resources\":{}},{\"name\":\"log\",\"image\":\"busybox\",\"args\":[\"sh\",\"-c\","
                + "\"tail -f /dev/null\"],\"resources\":{}}")
        + "],\"restartPolicy\":\"Always\",\"dnsPolicy\":\"ClusterFirst\",\"nodeName\":\"node-1\"},"
        + "\"status\":{\"phase\":\"Running\"}}";
  }

  /**
   * Runs kubectl 1.33 apply against the same server and returns the body of its {@code method}
   * request.
   */
  private String kubectlBody(String method) throws Exception {
    int before = server.requests().size();
    ProcessResult kubectl =
        new Kubectl("1.33", kubeconfig, Files.createTempDirectory(dir, "cache"))
            .run("apply", "--validate=false", "-f", manifest.toString());
    assertEquals(0, kubectl.exitCode(), kubectl.stderr());
    return server.requests().subList(before, server.requests().size()).stream()
        .filter(r -> r.method().equals(method))
        .findFirst()
        .orElseThrow()
        .body();
  }

  static String line(FakeApiServer.Request r) {
    return r.method() + " " + r.uri();
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
