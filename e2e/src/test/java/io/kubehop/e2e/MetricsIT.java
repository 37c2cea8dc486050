package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.Pods;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.RunningCommand;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every tier's {@code GET /metrics} (Prometheus text): during a {@code kubectl exec -i} session the
 * session gauges of the apiserver, the kubelet and the runtime read 1, afterwards 0, the byte
 * counters of the proxying tiers moved by at least what went through, and the upgrade and the
 * kubelet's CRI Exec call were timed.
 */
class MetricsIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int PAYLOAD = 256 * 1024;

  private static KubehopCluster cluster;
  private static String runtimeUrl;

  @BeforeAll
  static void up() throws IOException {
    cluster = KubehopCluster.up();
    new Pods(cluster).runBusybox("demo", "sleep", "3600");
    Matcher m =
        Pattern.compile("streaming server listening on (http://\\S+)")
            .matcher(Files.readString(cluster.home().resolve("logs/runtime-node-1.log")));
    assertThat(m.find()).as("the runtime logs its streaming server's address").isTrue();
    runtimeUrl = m.group(1);
  }

  @AfterAll
  static void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String apiserver() {
    return "http://127.0.0.1:" + cluster.apiserverPort();
  }

  private static String kubelet() {
    return "http://127.0.1.1:" + cluster.kubeletPort();
  }

  private static String scrape(String base) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The sum of {@code name}'s samples whose labels include {@code labels}. */
  static double sum(String text, String name, Map<String, String> labels) {
    double total = 0;
    Pattern sample = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$");
    for (String line : text.split("\n")) {
      Matcher m = sample.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Map<String, String> have = new java.util.HashMap<>();
      for (String pair : m.group(1).split(",")) {
        String[] kv = pair.split("=", 2);
        if (kv.length == 2) {
          have.put(kv[0], kv[1].replaceAll("^\"|\"$", ""));
        }
      }
      if (have.entrySet().containsAll(labels.entrySet())) {
        total += Double.parseDouble(m.group(2));
      }
    }
    return total;
  }

  private static double active(String base, String kind) {
    return sum(scrape(base), "kubehop_streaming_sessions_active", Map.of("kind", kind));
  }

  private static double bytes(String base, String direction) {
    return sum(scrape(base), "kubehop_streaming_bytes_total", Map.of("direction", direction));
  }

  @Test
  void everyTierCountsTheSessionWhileItRunsAndTheBytesItCarried() throws Exception {
    for (String base : new String[] {apiserver(), kubelet(), runtimeUrl}) {
      assertThat(scrape(base)).as(base).contains("jvm_memory_used_bytes", "process_uptime_seconds");
    }
    assertThat(active(apiserver(), "exec")).isZero();
    assertThat(active(runtimeUrl, "exec")).isZero();
    double apiUp = bytes(apiserver(), "up");
    double apiDown = bytes(apiserver(), "down");
    double kubeletUp = bytes(kubelet(), "up");
    double kubeletDown = bytes(kubelet(), "down");

    try (RunningCommand cat = cluster.kubectl("1.33").start("exec", "-i", "demo", "--", "cat")) {
      OutputStream stdin = cat.process().getOutputStream();
      byte[] payload = new byte[PAYLOAD];
      Arrays.fill(payload, (byte) 'x');
      stdin.write(payload);
      stdin.write("\nmetrics-end\n".getBytes(StandardCharsets.US_ASCII));
      stdin.flush();
      cat.awaitStdout("metrics-end", Duration.ofSeconds(30));

      assertThat(active(apiserver(), "exec")).isEqualTo(1.0);
      assertThat(active(kubelet(), "exec")).isEqualTo(1.0);
      assertThat(active(runtimeUrl, "exec")).isEqualTo(1.0);
      assertThat(bytes(apiserver(), "up") - apiUp).isGreaterThanOrEqualTo(PAYLOAD);
      assertThat(bytes(apiserver(), "down") - apiDown).isGreaterThanOrEqualTo(PAYLOAD);
      assertThat(bytes(kubelet(), "up") - kubeletUp).isGreaterThanOrEqualTo(PAYLOAD);
      assertThat(bytes(kubelet(), "down") - kubeletDown).isGreaterThanOrEqualTo(PAYLOAD);

      stdin.close();
      assertThat(cat.awaitExit(Duration.ofSeconds(30))).isTrue();
      assertThat(cat.process().exitValue()).as(cat.stderr()).isZero();
    }
    Await.until("the apiserver's gauge back to 0", () -> active(apiserver(), "exec") == 0);
    Await.until("the kubelet's gauge back to 0", () -> active(kubelet(), "exec") == 0);
    Await.until("the runtime's gauge back to 0", () -> active(runtimeUrl, "exec") == 0);
    assertThat(sum(scrape(runtimeUrl), "kubehop_streaming_sessions_total", Map.of("kind", "exec")))
        .isEqualTo(1.0);
    // The upgrade was timed at both proxying tiers, and the kubelet's CRI Exec call with it.
    assertThat(
            sum(
                scrape(apiserver()),
                "kubehop_streaming_upgrade_seconds_count",
                Map.of("kind", "exec", "join", "translated")))
        .isEqualTo(1.0);
    assertThat(
            sum(
                scrape(kubelet()),
                "kubehop_streaming_upgrade_seconds_count",
                Map.of("kind", "exec", "join", "splice")))
        .isEqualTo(1.0);
    assertThat(
            sum(
                scrape(kubelet()),
                "kubehop_cri_request_seconds_count",
                Map.of("method", "Exec", "code", "OK")))
        .isEqualTo(1.0);
    assertThat(scrape(kubelet())).contains("kubehop_cri_request_seconds_bucket{");
    assertThat(
            sum(
                scrape(runtimeUrl),
                "kubehop_runtime_stream_tokens_in_flight",
                Map.of("tier", "runtime")))
        .isZero();
  }

  @Test
  void metricsAnswerOnlyGetAndHead() throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(kubelet() + "/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }
}
