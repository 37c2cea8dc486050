package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ConfigMaps, Secrets and Events through stock kubectl, oldest and newest: create from files and
 * literals (kubectl 1.33 sends those as protobuf), the tables {@code get} prints, jsonpath reads,
 * upstream's validation error, and an event of a pod in {@code get events} and {@code describe
 * pod}. Each kubectl version works in a namespace of its own, so the listings are exact.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfigResourcesIT {

  private KubehopCluster cluster;

  @TempDir Path tmp;

  @BeforeAll
  void up() {
    cluster = KubehopCluster.up();
  }

  @AfterAll
  void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private ProcessResult ok(ProcessResult result) {
    assertThat(result.exitCode()).as("%s\n%s", result, cluster.logs()).isZero();
    return result;
  }

  private static String ns(String minor) {
    return "cfg-" + minor.replace(".", "-");
  }

  @ParameterizedTest(name = "kubectl {0}: configmaps and secrets")
  @ValueSource(strings = {"1.27", "1.33"})
  void configMapsAndSecrets(String minor) throws Exception {
    Kubectl kubectl = cluster.kubectl(minor);
    String ns = ns(minor) + "-data";
    ok(kubectl.run("create", "namespace", ns));
    Path file = tmp.resolve("app.properties");
    Files.writeString(file, "color=blue\nsize=2\n");

    assertThat(
            ok(kubectl.run(
                    "create",
                    "configmap",
                    "cfg",
                    "-n",
                    ns,
                    "--from-file=" + file,
                    "--from-literal=a=b"))
                .stdout())
        .isEqualTo("configmap/cfg created\n");
    assertThat(ok(kubectl.run("get", "cm", "-n", ns)).stdout())
        .matches("NAME   DATA   AGE\ncfg    2      \\d+s\n");
    assertThat(ok(kubectl.run("get", "cm", "cfg", "-n", ns, "-o", "jsonpath={.data.a}")).stdout())
        .isEqualTo("b");
    assertThat(
            ok(kubectl.run("get", "cm", "cfg", "-n", ns, "-o", "jsonpath={.data.app\\.properties}"))
                .stdout())
        .isEqualTo("color=blue\nsize=2\n");

    assertThat(
            ok(kubectl.run(
                    "create", "secret", "generic", "s", "-n", ns, "--from-literal=password=x"))
                .stdout())
        .isEqualTo("secret/s created\n");
    assertThat(
            ok(kubectl.run("get", "secret", "s", "-n", ns, "-o", "jsonpath={.data.password}"))
                .stdout())
        .isEqualTo("eA==");
    assertThat(ok(kubectl.run("get", "secrets", "-n", ns)).stdout())
        .matches("NAME   TYPE     DATA   AGE\ns      Opaque   1      \\d+s\n");
    assertThat(
            ok(kubectl.run(
                    "get", "secrets", "-n", ns, "--field-selector", "type=Opaque", "-o", "name"))
                .stdout())
        .isEqualTo("secret/s\n");

    // kubectl create configmap --from-literal checks keys itself; a manifest reaches the server
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(
        bad, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: badkey\ndata:\n  \"a b\": c\n");
    ProcessResult invalid = kubectl.run("create", "-n", ns, "-f", bad.toString());
    assertThat(invalid.exitCode()).as("%s", invalid).isEqualTo(1);
    assertThat(invalid.stdout()).isEmpty();
    assertThat(invalid.stderr())
        .isEqualTo(
            "The ConfigMap \"badkey\" is invalid: data[a b]: Invalid value: \"a b\": a valid config"
                + " key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name', "
                + " or 'KEY_NAME',  or 'key-name', regex used for validation is"
                + " '[-._a-zA-Z0-9]+')\n");
    assertThat(kubectl.run("get", "cm", "badkey", "-n", ns).exitCode())
        .as("nothing is stored on error")
        .isEqualTo(1);
  }

  @ParameterizedTest(name = "kubectl {0}: an event in get events and describe pod")
  @ValueSource(strings = {"1.27", "1.33"})
  void eventsOfAPod(String minor) throws Exception {
    Kubectl kubectl = cluster.kubectl(minor);
    String ns = ns(minor) + "-ev";
    ok(kubectl.run("create", "namespace", ns));
    // a scheduler no one runs: the pod stays Pending on no node, so no component adds events
    Path pod = tmp.resolve("pod.yaml");
    Files.writeString(
        pod,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: demo\nspec:\n  schedulerName: nobody\n"
            + "  containers:\n  - name: main\n    image: busybox\n");
    assertThat(ok(kubectl.run("create", "-n", ns, "-f", pod.toString())).stdout())
        .isEqualTo("pod/demo created\n");
    String uid =
        ok(kubectl.run("get", "pod", "demo", "-n", ns, "-o", "jsonpath={.metadata.uid}")).stdout();

    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String event =
        "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"demo.17a\"},"
            + "\"involvedObject\":{\"kind\":\"Pod\",\"namespace\":\""
            + ns
            + "\",\"name\":\"demo\",\"uid\":\""
            + uid
            + "\",\"apiVersion\":\"v1\",\"fieldPath\":\"spec.containers{main}\"},"
            + "\"reason\":\"Pulled\",\"message\":\"Container image \\\"busybox\\\" already present"
            + " on machine\",\"source\":{\"component\":\"kubelet\",\"host\":\"node-1\"},"
            + "\"firstTimestamp\":\""
            + now
            + "\",\"lastTimestamp\":\""
            + now
            + "\",\"count\":1,\"type\":\"Normal\"}";
    HttpResponse<String> posted =
        cluster.send(
            HttpRequest.newBuilder(cluster.api("/api/v1/namespaces/" + ns + "/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event))
                .build());
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);

    assertThat(ok(kubectl.run("get", "events", "-n", ns)).stdout())
        .matches(
            "LAST SEEN   TYPE     REASON   OBJECT     MESSAGE\n"
                + "\\d+s +Normal   Pulled   pod/demo   Container image \"busybox\" already present"
                + " on machine\n");
    assertThat(
            ok(kubectl.run(
                    "get", "ev", "-n", ns, "--field-selector", "reason=Pulled", "-o", "name"))
                .stdout())
        .isEqualTo("event/demo.17a\n");
    assertThat(ok(kubectl.run("describe", "pod", "demo", "-n", ns)).stdout())
        .containsPattern(
            "(?m)^Events:\n"
                + "  Type    Reason  Age   From     Message\n"
                + "  ----    ------  ----  ----     -------\n"
                + "  Normal  Pulled  \\d+s +kubelet  Container image \"busybox\" already present on"
                + " machine\n\\z");
  }
}
