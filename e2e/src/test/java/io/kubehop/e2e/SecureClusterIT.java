package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.kubehop.e2e.support.ClusterTls;
import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.Pods;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Commands;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.RunningCommand;
import io.kubehop.testkit.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A cluster as {@code bin/kubehop up} makes it by default (issue 12): TLS on the apiserver and the
 * kubelets, bearer tokens, the read-only viewer, kubelets that answer only the apiserver's client
 * certificate, an audit log; stock kubectl, fabric8 and the kubehop CLI working from the generated
 * kubeconfig as they are.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecureClusterIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private KubehopCluster cluster;

  @BeforeAll
  void up() {
    cluster = KubehopCluster.upSecure();
    Pods pods = new Pods(cluster);
    pods.runBusybox("demo", "sh", "-c", "echo started; exec sleep 3600");
    pods.startWeb();
  }

  @AfterAll
  void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private Kubectl viewer(String minor) throws IOException {
    return new Kubectl(
            minor,
            cluster.viewerKubeconfig(),
            Files.createTempDirectory(cluster.home(), "viewer-cache-" + minor + "-"))
        .env("HOME", cluster.home().toString());
  }

  @Test
  void theKubeconfigsTrustTheClusterCaAndCarryATokenAndAreTheOwnersOnly() throws IOException {
    for (Path kubeconfig : List.of(cluster.kubeconfig(), cluster.viewerKubeconfig())) {
      String text = Files.readString(kubeconfig);
      assertThat(text)
          .containsPattern("server: \"?https://127\\.0\\.0\\.1:" + cluster.apiserverPort());
      assertThat(text).contains("certificate-authority-data:").contains("token:");
      assertThat(text).doesNotContain("insecure-skip-tls-verify");
      assertThat(Files.getPosixFilePermissions(kubeconfig))
          .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }
    HttpResponse<String> plain =
        sendQuietly(
            HttpClient.newHttpClient(),
            URI.create("http://127.0.0.1:" + cluster.apiserverPort() + "/version"));
    assertThat(plain).as("no plain HTTP on the apiserver's port").isNull();
  }

  @ParameterizedTest(name = "kubectl 1.{0}")
  @ValueSource(strings = {"27", "29", "33"})
  void kubectlGetsExecsLogsAndCopiesWithoutSkippingTlsVerification(String minor) throws Exception {
    Kubectl kubectl = cluster.kubectl("1." + minor);
    ProcessResult get = kubectl.run("get", "pods", "-o", "name");
    assertThat(get.exitCode()).as(get.toString()).isZero();
    assertThat(get.stdout()).contains("pod/demo").contains("pod/web");

    ProcessResult exec = kubectl.run("exec", "demo", "--", "sh", "-c", "echo hi; exit 3");
    assertThat(exec.stdout()).isEqualTo("hi\n");
    assertThat(exec.exitCode()).as(exec.toString()).isEqualTo(3);
    if (minor.equals("33")) { // WebSocket above; SPDY too
      ProcessResult spdy =
          kubectl
              .env("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false")
              .run("exec", "demo", "--", "echo", "spdy");
      assertThat(spdy.exitCode()).as(spdy.toString()).isZero();
      assertThat(spdy.stdout()).isEqualTo("spdy\n");
    }

    try (RunningCommand follow = kubectl.start("logs", "-f", "demo")) {
      assertThat(follow.awaitStdout("started\n", Duration.ofSeconds(30))).isEqualTo("started\n");
    }

    Path local = cluster.home().resolve("cp-" + minor + ".txt");
    Files.writeString(local, "copied over TLS " + minor + "\n");
    ProcessResult cp = kubectl.run("cp", local.toString(), "demo:/tmp/cp-" + minor + ".txt");
    assertThat(cp.exitCode()).as(cp.toString()).isZero();
    ProcessResult cat = kubectl.run("exec", "demo", "--", "cat", "/tmp/cp-" + minor + ".txt");
    assertThat(cat.stdout()).isEqualTo("copied over TLS " + minor + "\n");
  }

  /** 1.29 forwards over SPDY, 1.33 tunnels SPDY in a WebSocket: both reach nginx. */
  @ParameterizedTest(name = "kubectl 1.{0}")
  @ValueSource(strings = {"29", "33"})
  void kubectlForwardsAPort(String minor) throws Exception {
    try (RunningCommand forward =
        cluster.kubectl("1." + minor).start("port-forward", "pod/web", ":80")) {
      String line = forward.awaitStdout("Forwarding from 127.0.0.1:", Duration.ofSeconds(30));
      Matcher port = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+)").matcher(line);
      assertThat(port.find()).as(line).isTrue();
      HttpResponse<String> page =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.group(1) + "/"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("Welcome to nginx!");
    }
  }

  @Test
  void theViewerListsPodsButMayNotExecAttachOrForward() throws Exception {
    ProcessResult list = viewer("1.33").run("get", "pods", "-o", "name");
    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(list.stdout()).contains("pod/demo");

    String exec =
        "pods \"demo\" is forbidden: User \"kubehop-viewer\" cannot create resource \"pods/exec\""
            + " in API group \"\" in the namespace \"default\"";
    for (String minor : List.of("1.29", "1.33")) { // SPDY, WebSocket
      ProcessResult denied = viewer(minor).run("exec", "demo", "--", "echo", "hi");
      assertThat(denied.exitCode()).as(denied.toString()).isEqualTo(1);
      assertThat(denied.stdout()).isEmpty();
      assertThat(denied.stderr()).contains(exec);
    }
    ProcessResult attach = viewer("1.33").run("attach", "demo");
    assertThat(attach.exitCode()).as(attach.toString()).isEqualTo(1);
    assertThat(attach.stderr())
        .contains(
            "pods \"demo\" is forbidden: User \"kubehop-viewer\" cannot create resource"
                + " \"pods/attach\" in API group \"\" in the namespace \"default\"");
    for (String minor : List.of("1.29", "1.33")) { // SPDY, SPDY tunnelled in a WebSocket
      // kubectl upgrades before it listens: refused, it never says "Forwarding from".
      ProcessResult forward = viewer(minor).run("port-forward", "pod/web", ":80");
      assertThat(forward.exitCode()).as(forward.toString()).isEqualTo(1);
      assertThat(forward.stdout()).doesNotContain("Forwarding from");
      assertThat(forward.stderr())
          .contains(
              "pods \"web\" is forbidden: User \"kubehop-viewer\" cannot create resource"
                  + " \"pods/portforward\" in API group \"\" in the namespace \"default\"");
    }

    Path audit = cluster.home().resolve("logs/audit.log");
    Await.until(
        "the denials audited",
        Duration.ofSeconds(10),
        () ->
            denials(audit).stream()
                .map(d -> d.path("subresource").asText())
                .toList()
                .containsAll(List.of("exec", "attach", "portforward")));
    for (JsonNode denial : denials(audit)) {
      assertThat(denial.path("user").asText()).isEqualTo("kubehop-viewer");
      assertThat(denial.path("code").asInt()).isEqualTo(403);
    }
    String viewerToken = ClusterTls.token(cluster.pki().resolve("tokens.csv"), "kubehop-viewer");
    assertThat(Files.readString(audit)).doesNotContain(viewerToken);
  }

  private static List<JsonNode> denials(Path audit) {
    List<JsonNode> out = new ArrayList<>();
    try {
      if (!Files.exists(audit)) {
        return out;
      }
      for (String line : Files.readAllLines(audit)) {
        JsonNode entry = JSON.readTree(line);
        if (entry.path("decision").asText().equals("deny")
            && entry.path("user").asText().equals("kubehop-viewer")) {
          out.add(entry);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  /**
   * The kubelet's streaming port: no client certificate is 401, a certificate the cluster CA did
   * not sign fails the handshake, a CA-signed one that is not the apiserver's is 403.
   */
  @Test
  void theKubeletAnswersOnlyTheApiserversCertificate() throws Exception {
    String url =
        "https://127.0.1.1:" + cluster.kubeletPort() + "/exec/default/demo/demo?command=true";
    Path ca = cluster.pki().resolve("ca.crt");

    ProcessResult anonymous = curl(List.of("--cacert", ca.toString(), "-X", "POST", url));
    assertThat(anonymous.exitCode()).as(anonymous.toString()).isZero();
    assertThat(anonymous.stdout()).isEqualTo("Unauthorized\n401");

    Path stranger = cluster.home().resolve("stranger");
    Files.createDirectories(stranger);
    ProcessResult made =
        Commands.run(
            List.of(
                Tools.onPath("openssl").toString(),
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=kube-apiserver-kubelet-client",
                "-keyout",
                stranger.resolve("key.pem").toString(),
                "-out",
                stranger.resolve("cert.pem").toString()),
            Map.of(),
            null,
            Duration.ofSeconds(30));
    assertThat(made.exitCode()).as(made.toString()).isZero();
    ProcessResult forged =
        curl(
            List.of(
                "--cacert",
                ca.toString(),
                "--cert",
                stranger.resolve("cert.pem").toString(),
                "--key",
                stranger.resolve("key.pem").toString(),
                "-X",
                "POST",
                url));
    assertThat(forged.exitCode())
        .as("the handshake fails (curl: 35 SSL connect error, or 56 on the first read): %s", forged)
        .isIn(35, 56);

    ProcessResult admin =
        curl(
            List.of(
                "--cacert",
                ca.toString(),
                "--cert",
                cluster.pki().resolve("admin.crt").toString(),
                "--key",
                cluster.pki().resolve("admin.key").toString(),
                "-X",
                "POST",
                url));
    assertThat(admin.exitCode()).as(admin.toString()).isZero();
    assertThat(admin.stdout())
        .isEqualTo(
            "Forbidden (user=kubehop-admin, verb=create, resource=nodes, subresource(s)=[proxy])\n403");
  }

  /** The web view is behind the API's authentication: nothing without credentials. */
  @Test
  void theWebViewNeedsTheApisCredentials() throws Exception {
    String url = "https://127.0.0.1:" + cluster.apiserverPort();
    Path ca = cluster.pki().resolve("ca.crt");
    for (String path : List.of("/ui/", "/ui/events", "/ui/app.js")) {
      ProcessResult anonymous =
          curl(List.of("--cacert", ca.toString(), "-o", "/dev/null", url + path));
      assertThat(anonymous.stdout()).as(path).isEqualTo("401");
    }
    String admin = ClusterTls.token(cluster.pki().resolve("tokens.csv"), "kubehop-admin");
    ProcessResult page =
        curl(
            List.of(
                "--cacert", ca.toString(), "-H", "Authorization: Bearer " + admin, url + "/ui/"));
    assertThat(page.stdout()).startsWith("<!doctype html>").endsWith("200");
  }

  private static ProcessResult curl(List<String> args) {
    List<String> command =
        new ArrayList<>(List.of(Tools.onPath("curl").toString(), "-s", "-w", "%{http_code}"));
    command.addAll(args);
    return Commands.run(command, Map.of(), null, Duration.ofSeconds(30));
  }

  @Test
  void fabric8AndTheKubehopCliExecWithTheCaFromTheKubeconfig() throws Exception {
    Config config = Config.fromKubeconfig(Files.readString(cluster.kubeconfig()));
    assertThat(config.isTrustCerts()).isFalse();
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientFactory(new JdkHttpClientFactory())
            .build()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ExecWatch watch =
          client.pods().withName("demo").writingOutput(out).exec("echo", "fabric8")) {
        assertThat(watch.exitCode().get(30, TimeUnit.SECONDS)).isZero();
      }
      Await.until("the output", Duration.ofSeconds(10), () -> out.size() == 8);
      assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("fabric8\n");
    }
    for (String transport : List.of("websocket", "spdy")) {
      ProcessResult exec =
          cluster.kubehop("exec", "--transport=" + transport, "demo", "--", "echo", transport);
      assertThat(exec.exitCode()).as(exec.toString()).isZero();
      assertThat(exec.stdout()).isEqualTo(transport + "\n");
    }
  }

  /**
   * {@code kubehop trace} reaches every tier with nothing but the kubeconfig (the kubelets through
   * the apiserver's nodes/proxy) and says which sockets carry TLS: the client's and the
   * apiserver-kubelet connection do, the kubelet-runtime one on loopback does not.
   */
  @Test
  void traceShowsTheChainAndWhichHopsAreTls() throws Exception {
    ProcessResult exec = cluster.kubectl("1.33").run("exec", "demo", "--", "echo", "traced");
    assertThat(exec.exitCode()).as(exec.toString()).isZero();
    ProcessResult trace = cluster.kubehop("trace", "--all", "-o", "json");
    assertThat(trace.exitCode()).as(trace.toString()).isZero();
    assertThat(trace.stderr()).as("every tier answered").isEmpty();
    JsonNode session = null;
    for (JsonNode s : JSON.readTree(trace.stdout()).path("sessions")) {
      if (s.path("command").toString().equals("[\"echo\",\"traced\"]")) {
        session = s;
      }
    }
    assertThat(session).as(trace.stdout()).isNotNull();
    List<String> sockets = new ArrayList<>();
    for (JsonNode hop : session.path("hops")) {
      sockets.add(
          hop.path("tier").asText()
              + "->"
              + hop.path("peer").asText()
              + (hop.path("tls").asBoolean(false) ? " tls" : " plain"));
    }
    assertThat(sockets)
        .containsExactlyInAnyOrder(
            "apiserver->client tls",
            "apiserver->kubelet tls",
            "kubelet->apiserver tls",
            "kubelet->runtime plain",
            "runtime->kubelet plain");
  }

  private static HttpResponse<String> sendQuietly(HttpClient http, URI uri) {
    try {
      return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
