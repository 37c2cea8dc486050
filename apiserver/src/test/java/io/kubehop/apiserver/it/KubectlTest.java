package io.kubehop.apiserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.api.meta.Times;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Kubeconfigs;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.RunningCommand;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Drives the in-process apiserver with real kubectl 1.27, 1.29 and 1.33 (no kubelet: pods stay
 * Pending).
 */
class KubectlTest {

  @TempDir Path tmp;

  private static final String POD_YAML =
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: applied
        labels:
          app: LABEL
      spec:
        containers:
        - name: main
          image: busybox
          command: ["sleep", "3600"]
      """;

  @ParameterizedTest(name = "kubectl {0}")
  @ValueSource(strings = {"1.27", "1.29", "1.33"})
  void commonCommands(String version) throws Exception {
    try (TestApiServer api = new TestApiServer(tmp.resolve("home"))) {
      Kubectl k = kubectl(version, api);

      // run + get pods: no node yet, so the pod stays unbound and Pending.
      assertOk(
          k.run("run", "demo", "--image=busybox", "--restart=Never", "--", "sleep", "3600"),
          "pod/demo created\n");
      ProcessResult pods = k.run("get", "pods");
      assertEquals(0, pods.exitCode(), pods.stderr());
      assertTrue(
          pods.stdout()
              .matches(
                  "NAME   READY   STATUS    RESTARTS   AGE\ndemo   0/1     Pending   0          \\ds\n"),
          pods.stdout());
      Await.until(
          "PodScheduled=False Unschedulable",
          Duration.ofSeconds(10),
          () ->
              k.run("get", "pod", "demo", "-o", "jsonpath={.status.conditions[0].reason}")
                  .stdout()
                  .equals("Unschedulable"));

      // delete of an unbound pod removes it at once.
      assertOk(k.run("delete", "pod", "demo"), "pod \"demo\" deleted\n");
      assertEquals(404, api.get("/api/v1/namespaces/default/pods/demo").statusCode());

      // get nodes after the kubelet-style registration.
      assertEquals(201, api.registerNode("node-1").statusCode());
      ProcessResult nodes = k.run("get", "nodes");
      assertTrue(
          nodes
              .stdout()
              .matches(
                  "NAME     STATUS   ROLES    AGE   VERSION\nnode-1   Ready    <none>   \\ds    v1.30.0\n"),
          nodes.stdout() + nodes.stderr());

      // apply twice with kubectl's default validation: created, then configured.
      Path yaml = tmp.resolve("pod.yaml");
      Files.writeString(yaml, POD_YAML.replace("LABEL", "one"));
      assertOk(k.run("apply", "-f", yaml.toString()), "pod/applied created\n");
      Files.writeString(yaml, POD_YAML.replace("LABEL", "two"));
      assertOk(k.run("apply", "-f", yaml.toString()), "pod/applied configured\n");
      assertOk(k.run("apply", "-f", yaml.toString()), "pod/applied unchanged\n");
      assertOk(k.run("get", "pod", "applied", "-o", "jsonpath={.metadata.labels.app}"), "two");
      Await.until(
          "the scheduler binds applied to node-1",
          Duration.ofSeconds(10),
          () ->
              k.run("get", "pod", "applied", "-o", "jsonpath={.spec.nodeName}")
                  .stdout()
                  .equals("node-1"));
      ProcessResult wide = k.run("get", "pod", "applied", "-o", "wide");
      assertTrue(
          wide.stdout()
              .matches(
                  "NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED NODE +READINESS GATES\n"
                      + "applied +0/1 +Pending +0 +\\d+s +<none> +node-1 +<none> +<none>\n"),
          wide.stdout());

      // create namespace (kubectl 1.33 POSTs it as protobuf).
      assertOk(k.run("create", "namespace", "team"), "namespace/team created\n");
      assertOk(k.run("get", "ns", "team", "-o", "jsonpath={.status.phase}"), "Active");

      watchPrintsTransition(api, k);
      errors(k, yaml);
    }
  }

  private void watchPrintsTransition(TestApiServer api, Kubectl k) throws Exception {
    try (RunningCommand watch = k.start("get", "pods", "-w")) {
      Await.until(
          "the initial row",
          Duration.ofSeconds(20),
          () -> watch.stdout().lines().anyMatch(l -> l.matches("applied +0/1 +Pending +0 +\\w+")));
      String status =
          "{\"metadata\":{\"name\":\"applied\"},\"status\":{\"phase\":\"Running\",\"containerStatuses\":"
              + "[{\"name\":\"main\",\"ready\":true,\"restartCount\":0,\"state\":{\"running\":{\"startedAt\":\""
              + Times.now()
              + "\"}}}]}}";
      assertEquals(
          200,
          api.send(
                  "PUT",
                  "/api/v1/namespaces/default/pods/applied/status",
                  "application/json",
                  status)
              .statusCode());
      Await.until(
          "the Running row",
          Duration.ofSeconds(20),
          () -> watch.stdout().lines().anyMatch(l -> l.matches("applied +1/1 +Running +0 +\\w+")));
      List<String> lines = watch.stdout().lines().toList();
      assertTrue(lines.get(0).matches("NAME +READY +STATUS +RESTARTS +AGE"), lines.toString());
    }
  }

  private void errors(Kubectl k, Path yaml) throws Exception {
    ProcessResult bad = k.run("run", "Bad_Name", "--image=busybox", "--restart=Never");
    assertEquals(1, bad.exitCode());
    assertTrue(
        bad.stderr()
            .startsWith(
                "The Pod \"Bad_Name\" is invalid: \n* metadata.name: Invalid value: "
                    + "\"Bad_Name\": "
                    + "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
                    + "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
                    + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n"),
        bad.stderr());

    ProcessResult ns = k.run("run", "x", "--image=busybox", "-n", "nope");
    assertEquals("Error from server (NotFound): namespaces \"nope\" not found\n", ns.stderr());
    ProcessResult dup = k.run("run", "applied", "--image=busybox");
    assertEquals(
        "Error from server (AlreadyExists): pods \"applied\" already exists\n", dup.stderr());

    Files.writeString(
        yaml,
        POD_YAML
            .replace("LABEL", "x")
            .replace("applied", "strict")
            .replace("  containers:", "  foo: 1\n  containers:"));
    ProcessResult strict = k.run("apply", "-f", yaml.toString());
    assertEquals(
        "Error from server (BadRequest): error when creating \""
            + yaml
            + "\": Pod in version \"v1\" "
            + "cannot be handled as a Pod: strict decoding error: unknown field \"spec.foo\"\n",
        strict.stderr());
    assertEquals(1, k.run("get", "pod", "strict").exitCode(), "nothing is stored on error");
  }

  private static void assertOk(ProcessResult r, String expectedOut) {
    assertEquals(expectedOut, r.stdout(), r.stderr());
    assertEquals(0, r.exitCode(), r.stderr());
  }

  /** A stock kubectl of {@code version} for {@code api}. */
  private Kubectl kubectl(String version, TestApiServer api) {
    return new Kubectl(
        version,
        Kubeconfigs.write(tmp.resolve("kubectl/kubeconfig"), api.base),
        tmp.resolve("kubectl/cache"));
  }

  @ParameterizedTest(name = "kubectl {0} logs")
  @ValueSource(strings = {"1.27", "1.33"})
  void logsThroughTheApiserver(String version) throws Exception {
    try (TestApiServer api = new TestApiServer(tmp.resolve("home"))) {
      HttpServer kubelet =
          api.vertx
              .createHttpServer()
              .requestHandler(
                  req -> {
                    var resp =
                        req.response().setChunked(true).putHeader("Content-Type", "text/plain");
                    resp.write("line 1 of " + req.path() + "\n");
                    resp.end("line 2 follow=" + req.getParam("follow") + "\n");
                  })
              .listen(0, "127.0.0.1")
              .await();
      try {
        api.post(
            "/api/v1/nodes",
            "{\"metadata\":{\"name\":\"n\"},\"status\":{\"addresses\":[{\"type\":"
                + "\"InternalIP\",\"address\":\"127.0.0.1\"}],\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":"
                + kubelet.actualPort()
                + "}}}}");
        api.post(
            "/api/v1/namespaces/default/pods",
            "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"nodeName\":\"n\","
                + "\"containers\":[{\"name\":\"main\",\"image\":\"busybox\"}]}}");
        Kubectl k = kubectl(version, api);
        assertOk(
            k.run("logs", "p"), "line 1 of /containerLogs/default/p/main\nline 2 follow=null\n");
        assertOk(
            k.run("logs", "-f", "p"),
            "line 1 of /containerLogs/default/p/main\nline 2 follow=true\n");
        ProcessResult bad = k.run("logs", "p", "-c", "nope");
        // kubectl checks the container itself (the server's own 400 is covered by
        // ApiServerHttpTest).
        assertEquals("error: container nope is not valid for pod p\n", bad.stderr());
      } finally {
        kubelet.close().await();
      }
    }
  }
}
