package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubehop.e2e.support.JvmHeap;
import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.Pods;
import io.kubehop.testkit.Commands;
import io.kubehop.testkit.Kubectl;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backpressure end to end: two clients (kubectl 1.29 over SPDY, spliced at the apiserver; kubectl
 * 1.33 over WebSocket, translated there) stop reading for {@link #PAUSES} while the pod writes
 * without pause. No tier may hold the unread bytes: each tier's live heap (what a full collection
 * leaves), taken every {@link #SAMPLE_EVERY} of the pause, stays within {@link #HEAP_BOUND} of what
 * it was before the sessions (the bytes wait in flow-control windows, socket buffers and, last, in
 * the pod's blocked {@code write}). Then the clients read again and each gets every byte, in order.
 */
class BackpressureIT {

  /** How long the clients do not read: the subject of the test, not a wait for something. */
  static final Duration PAUSE = Duration.ofSeconds(60);

  static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);

  /**
   * How long each client is not read. kubectl 1.33's WebSocket executor (client-go's {@code
   * remotecommand/websocket.go}) gives up by itself after 61 s in which its reader could not take a
   * pong ({@code pingReadDeadline}, "i/o timeout"), which is the case while its stdout is not read:
   * it pauses 50 s. SPDY has no such deadline.
   */
  static final Map<String, Duration> PAUSES = Map.of("1.29", PAUSE, "1.33", Duration.ofSeconds(50));

  /**
   * The most a tier's live heap may grow while two sessions are held back: a few flow-control
   * windows and read buffers per session, far below what the pod writes.
   */
  static final long HEAP_BOUND = 8L << 20;

  /** {@code seq 1 LINES} in the pod: 168,888,906 bytes, each line checkable. */
  static final int LINES = 20_000_000;

  private static KubehopCluster cluster;

  @BeforeAll
  static void up() {
    cluster = KubehopCluster.up();
    new Pods(cluster).runBusybox("demo", "sleep", "3600");
  }

  @AfterAll
  static void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** The length and SHA-256 of {@code seq 1 lines}'s output. */
  static Digest expected(int lines) {
    Digest d = new Digest();
    byte[] line = new byte[16];
    for (int i = 1; i <= lines; i++) {
      byte[] digits = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(digits, 0, line, 0, digits.length);
      line[digits.length] = '\n';
      d.update(line, digits.length + 1);
    }
    return d;
  }

  @Test
  void clientsThatStopReadingHoldThePodBackAndThenGetEveryByte(@TempDir Path tmp) throws Exception {
    Map<String, Long> tiers = new LinkedHashMap<>();
    for (String tier : List.of("apiserver", "kubelet-node-1", "runtime-node-1")) {
      tiers.put(tier, cluster.pid(tier));
    }
    Map<String, Long> baseline = new LinkedHashMap<>();
    tiers.forEach((tier, pid) -> baseline.put(tier, JvmHeap.live(pid)));

    Map<String, Process> clients = new LinkedHashMap<>();
    for (String minor : PAUSES.keySet()) {
      Kubectl kubectl = cluster.kubectl(minor);
      ProcessBuilder b =
          new ProcessBuilder(
                  kubectl.command("exec", "demo", "--", "seq", "1", Integer.toString(LINES)))
              .redirectError(tmp.resolve("stderr-" + minor).toFile());
      Commands.environment(b.environment(), kubectl.environment());
      clients.put(minor, b.start()); // its stdout is not read until its pause is over
    }
    Instant start = Instant.now();

    Map<String, Long> peak = new LinkedHashMap<>();
    Map<String, CompletableFuture<Digest>> reads = new LinkedHashMap<>();
    for (Duration at = SAMPLE_EVERY; at.compareTo(PAUSE) <= 0; at = at.plus(SAMPLE_EVERY)) {
      // The pause is the subject: the clients do nothing else, and the heaps are sampled meanwhile.
      Thread.sleep(Math.max(0, Duration.between(Instant.now(), start.plus(at)).toMillis()));
      for (var client : clients.entrySet()) {
        if (!reads.containsKey(client.getKey()) && at.compareTo(PAUSES.get(client.getKey())) >= 0) {
          assertThat(client.getValue().isAlive())
              .as("an unread client cannot have finished")
              .isTrue();
          InputStream out = client.getValue().getInputStream();
          reads.put(client.getKey(), CompletableFuture.supplyAsync(() -> Digest.of(out)));
        }
      }
      tiers.forEach((tier, pid) -> peak.merge(tier, JvmHeap.live(pid), Math::max));
    }
    tiers.forEach(
        (tier, pid) ->
            System.out.printf(
                "%s: live heap %d KiB before, at most %d KiB while its clients did not read%n",
                tier, baseline.get(tier) >> 10, peak.get(tier) >> 10));
    tiers
        .keySet()
        .forEach(
            tier ->
                assertThat(peak.get(tier) - baseline.get(tier))
                    .as("%s's heap growth while its clients did not read", tier)
                    .isLessThanOrEqualTo(HEAP_BOUND));

    Digest want = expected(LINES);
    String wantSha = want.hex();
    for (var client : clients.entrySet()) {
      Process p = client.getValue();
      Digest got = reads.get(client.getKey()).get(180, TimeUnit.SECONDS);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String stderr = Files.readString(tmp.resolve("stderr-" + client.getKey()));
      assertThat(p.exitValue()).as("kubectl %s: %s", client.getKey(), stderr).isZero();
      assertThat(got.length).as("bytes after the pause").isEqualTo(want.length);
      assertThat(got.hex()).as("every byte, in order").isEqualTo(wantSha);
    }
    tiers.forEach(
        (tier, pid) ->
            assertThat(JvmHeap.live(pid) - baseline.get(tier))
                .as("%s's heap after the sessions", tier)
                .isLessThanOrEqualTo(HEAP_BOUND));
  }

  /** A running length and SHA-256. */
  static final class Digest {
    private final MessageDigest sha;
    long length;

    Digest() {
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new AssertionError(e);
      }
    }

    static Digest of(InputStream in) {
      Digest d = new Digest();
      byte[] buf = new byte[1 << 16];
      try (in) {
        for (int n; (n = in.read(buf)) != -1; ) {
          d.update(buf, n);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return d;
    }

    void update(byte[] b, int n) {
      sha.update(b, 0, n);
      length += n;
    }

    /** The SHA-256 of what was read; once, it ends the digest. */
    String hex() {
      return HexFormat.of().formatHex(sha.digest());
    }
  }
}
