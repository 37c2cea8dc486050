package io.kubehop.kubelet;

import io.kubehop.kubelet.fake.FakeApiServer;
import io.kubehop.kubelet.fake.FakeRuntime;
import io.kubehop.kubelet.node.NodeInfo;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A kubelet under test, between a {@link FakeApiServer} and a {@link FakeRuntime}, all on
 * 127.0.0.1.
 */
public final class KubeletHarness implements AutoCloseable {

  public static final String NODE = "node-t";

  public final Path home;
  public final FakeApiServer api;
  public final FakeRuntime runtime;
  private Vertx vertx;
  public int port;

  /** The running kubelet (null before {@link #startKubelet()}). */
  public Kubelet kubelet;

  /** Set before {@link #startKubelet()} to start it with {@code --redirect-container-streaming}. */
  public boolean redirectContainerStreaming;

  /** Set before {@link #startKubelet()} to start it with {@code --websocket-translation}. */
  public boolean webSocketTranslation;

  public KubeletHarness(Path home) throws Exception {
    this.home = home;
    Files.createDirectories(home.resolve("nodes").resolve(NODE));
    this.api = new FakeApiServer();
    this.runtime = new FakeRuntime(home.resolve("nodes").resolve(NODE).resolve("runtime.sock"));
  }

  public KubeletConfig config() {
    return new KubeletConfig(
        home,
        NODE,
        "127.0.0.1",
        0,
        api.url(),
        home.resolve("nodes").resolve(NODE).resolve("runtime.sock"),
        Duration.ofMillis(300),
        Duration.ofMillis(200),
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        redirectContainerStreaming,
        webSocketTranslation);
  }

  /** Starts a kubelet and waits until it is registered; returns its port. */
  public int startKubelet() throws Exception {
    vertx = Vertx.vertx();
    kubelet = new Kubelet(config(), new NodeInfo(4, 8_000_000, "linux", "amd64", "6.1"));
    vertx.deployVerticle(kubelet).await(10, TimeUnit.SECONDS);
    port = kubelet.ready().await(10, TimeUnit.SECONDS);
    return port;
  }

  public void stopKubelet() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
      vertx = null;
    }
  }

  public String kubeletUrl() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws Exception {
    stopKubelet();
    runtime.close();
    api.close();
  }
}
