package io.kubehop.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A single-member etcd of a test's own, on free loopback ports with its data under a directory the
 * test owns: {@link #start} waits until it answers {@code /health}, {@link #stop} kills it, and
 * {@link #restart} brings it back on the same ports and data, as an etcd restart in a cluster does.
 * A missing {@code etcd} binary fails the test under {@code CI=true} and skips it elsewhere ({@link
 * Tools}); Debian's {@code etcd-server} package provides one.
 */
public final class EtcdProcess implements AutoCloseable {

  /** A loaded two-core machine: a fresh etcd is healthy in about 0.4 s on an idle one. */
  private static final Duration READY_DEADLINE = Duration.ofSeconds(30);

  private final Path binary;
  private final Path dataDir;
  private final int clientPort;
  private final int peerPort;
  private RunningCommand process;

  private EtcdProcess(Path binary, Path dataDir, int clientPort, int peerPort) {
    this.binary = binary;
    this.dataDir = dataDir;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
  }

  /** Starts an etcd keeping its data under {@code dataDir}, and waits until it is healthy. */
  public static EtcdProcess start(Path dataDir) {
    EtcdProcess etcd = new EtcdProcess(Tools.onPath("etcd"), dataDir, freePort(), freePort());
    etcd.launch();
    return etcd;
  }

  /** The client URL, {@code http://127.0.0.1:PORT}, as {@code --etcd-servers} takes it. */
  public URI clientUrl() {
    return URI.create("http://127.0.0.1:" + clientPort);
  }

  /** Kills the process (SIGKILL: no chance to flush anything, as a crash) and waits for its end. */
  public void stop() {
    if (process != null) {
      Process p = process.process();
      p.destroyForcibly();
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          throw new AssertionError("etcd did not die within 10 s of SIGKILL");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for etcd to die", e);
      }
      process = null;
    }
  }

  /** {@link #stop()}, then the same member again on the same ports and data. */
  public void restart() {
    stop();
    launch();
  }

  public boolean running() {
    return process != null;
  }

  private void launch() {
    String client = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    process =
        RunningCommand.start(
            List.of(
                binary.toString(),
                "--name",
                "default",
                "--data-dir",
                dataDir.toString(),
                "--listen-client-urls",
                client,
                "--advertise-client-urls",
                client,
                "--listen-peer-urls",
                peer,
                "--initial-advertise-peer-urls",
                peer,
                "--initial-cluster",
                "default=" + peer),
            Map.of());
    RunningCommand started = process;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Await.until(
        () -> "etcd healthy on " + client + "; its log: " + started.stderr(),
        READY_DEADLINE,
        () -> {
          if (!started.process().isAlive()) {
            throw new AssertionError("etcd exited; its log: " + started.stderr());
          }
          return healthy(http, client);
        });
  }

  private static boolean healthy(HttpClient http, String client) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(client + "/health"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains("\"health\":\"true\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for etcd", e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    stop();
  }
}
