package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.Pods;
import io.kubehop.testkit.ProcessResult;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input gets a 4xx Status with a clear message, and nothing is stored. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {

  private KubehopCluster cluster;
  private Pods pods;

  @BeforeAll
  void up() {
    cluster = KubehopCluster.up();
    pods = new Pods(cluster);
  }

  @AfterAll
  void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private HttpResponse<String> post(String path, String body) {
    return cluster.send(
        HttpRequest.newBuilder(cluster.api(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static String pod(String name) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
        + name
        + "\"},"
        + "\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"busybox\",\"command\":[\"sleep\",\"3600\"]}]}}";
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
        Arguments.of(
            Named.of("malformed JSON", "/api/v1/namespaces/default/pods"),
            "{\"metadata\": {",
            400,
            "BadRequest",
            null),
        Arguments.of(
            Named.of("name that is not DNS-1123", "/api/v1/namespaces/default/pods"),
            pod("Bad_Name"),
            422,
            "Invalid",
            "Pod \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123"
                + " subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end"
                + " with an alphanumeric character"),
        Arguments.of(
            Named.of("missing namespace", "/api/v1/namespaces/nope/pods"),
            pod("ok"),
            404,
            "NotFound",
            "namespaces \"nope\" not found"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void badInputIsAStatusAndStoresNothing(
      String path, String body, int code, String reason, String message) {
    int before = Pods.tree(cluster.get("/api/v1/pods").body()).path("items").size();
    HttpResponse<String> response = post(path, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode status = Pods.tree(response.body());
    assertThat(status.path("kind").asText()).isEqualTo("Status");
    assertThat(status.path("status").asText()).isEqualTo("Failure");
    assertThat(status.path("code").asInt()).isEqualTo(code);
    assertThat(status.path("reason").asText()).isEqualTo(reason);
    if (message != null) {
      assertThat(status.path("message").asText()).startsWith(message);
    } else {
      assertThat(status.path("message").asText()).isNotBlank();
    }
    JsonNode all = Pods.tree(cluster.get("/api/v1/pods").body());
    assertThat(all.path("items").size()).as("nothing stored").isEqualTo(before);
  }

  @Test
  void secondCreateIsAlreadyExistsAndKeepsTheFirst() {
    assertThat(post("/api/v1/namespaces/default/pods", pod("twice")).statusCode()).isEqualTo(201);
    String uid = pods.pod("twice").orElseThrow().path("metadata").path("uid").asText();
    HttpResponse<String> again = post("/api/v1/namespaces/default/pods", pod("twice"));
    assertThat(again.statusCode()).isEqualTo(409);
    JsonNode status = Pods.tree(again.body());
    assertThat(status.path("reason").asText()).isEqualTo("AlreadyExists");
    assertThat(status.path("message").asText()).isEqualTo("pods \"twice\" already exists");
    assertThat(pods.pod("twice").orElseThrow().path("metadata").path("uid").asText())
        .isEqualTo(uid);

    ProcessResult kubectl = cluster.kubectl("1.33").run("run", "twice", "--image=busybox");
    assertThat(kubectl.exitCode()).isEqualTo(1);
    assertThat(kubectl.stderr())
        .isEqualTo("Error from server (AlreadyExists): pods \"twice\" already exists\n");
    cluster.kubectl("1.33").run("delete", "pod", "twice", "--grace-period=1");
  }

  @Test
  void kubectlPrintsTheInvalidNameMessage() {
    ProcessResult result = cluster.kubectl("1.29").run("run", "Bad_Name", "--image=busybox");
    assertThat(result.exitCode()).isEqualTo(1);
    // kubectl run names the container after the pod, so upstream reports both fields, one per line.
    assertThat(result.stderr())
        .startsWith(
            "The Pod \"Bad_Name\" is invalid: \n"
                + "* metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain")
        .contains(
            "\n* spec.containers[0].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 label");
  }
}
