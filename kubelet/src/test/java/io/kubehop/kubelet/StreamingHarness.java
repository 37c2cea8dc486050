package io.kubehop.kubelet;

import io.kubehop.cri.v1.ContainerState;
import io.kubehop.kubelet.fake.ObservedStreamingServer;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.client.SpdyExecutor;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.BufferSink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A kubelet with a pod {@code default/demo} (containers {@code main}, and {@code term} with a tty)
 * whose runtime answers Exec/Attach with URLs of the real CRI streaming server ({@link
 * ObservedStreamingServer}), and a client side that runs sessions through the kubelet with {@link
 * SpdyExecutor} (POST, as kubectl).
 */
final class StreamingHarness implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(15);

  final KubeletHarness h;
  final ObservedStreamingServer streaming;
  final Vertx client = Vertx.vertx();
  String podUid;

  StreamingHarness(Path home, boolean redirect) throws Exception {
    this(home, redirect, false);
  }

  /**
   * {@code translate}: the kubelet runs with {@code --websocket-translation} (v5 WebSocket exec
   * served here).
   */
  StreamingHarness(Path home, boolean redirect, boolean translate) throws Exception {
    h = new KubeletHarness(home);
    streaming = new ObservedStreamingServer();
    h.runtime.streaming(streaming.server());
    h.redirectContainerStreaming = redirect;
    h.webSocketTranslation = translate;
    h.startKubelet();
    podUid =
        h.api
            .createPod(
                PodLifecycleTest.pod(
                    "demo",
                    "Always",
                    "{\"name\":\"main\",\"image\":\"busybox\"},"
                        + "{\"name\":\"term\",\"image\":\"busybox\",\"stdin\":true,\"tty\":true}"))
            .at("/metadata/uid")
            .asText();
    Await.until(
        "both containers running",
        WAIT,
        () -> {
          var pod = h.api.pod("default", "demo");
          return pod.at("/status/containerStatuses/0/state/running").isObject()
              && pod.at("/status/containerStatuses/1/state/running").isObject();
        });
  }

  /** The result of one session: completion, and what arrived on stdout and stderr. */
  record Session(Future<Void> done, BufferSink stdout, BufferSink stderr) {}

  /** Runs a session through the kubelet; {@code stdin} may be null. */
  Session exec(String uri, StreamOptions options, BufferSource stdin) {
    return exec(client.createNetClient(), uri, options, stdin, Map.of());
  }

  Session exec(
      NetClient net,
      String uri,
      StreamOptions options,
      BufferSource stdin,
      Map<String, String> headers) {
    return execAt(net, h.port, uri, options, stdin, headers);
  }

  Session execAt(
      NetClient net,
      int port,
      String uri,
      StreamOptions options,
      BufferSource stdin,
      Map<String, String> headers) {
    BufferSink out = options.stdout() ? new BufferSink() : null;
    BufferSink err = options.stderr() && !options.tty() ? new BufferSink() : null;
    Future<Void> done =
        new SpdyExecutor(client, net)
            .stream(
                new SpdyExecutor.Target("127.0.0.1", port, "POST", uri, headers),
                options,
                stdin,
                out,
                err);
    return new Session(done, out, err);
  }

  BufferSource stdin() {
    return new BufferSource(client.getOrCreateContext());
  }

  /** The CRI id of a container of demo, as the fake runtime knows it. */
  String containerId(String name) {
    return h.runtime.containers().stream()
        .filter(c -> c.config.getMetadata().getName().equals(name))
        .filter(c -> c.state == ContainerState.CONTAINER_RUNNING)
        .findFirst()
        .orElseThrow()
        .id;
  }

  @Override
  public void close() throws Exception {
    client.close().await(10, TimeUnit.SECONDS);
    h.close();
    streaming.close();
  }
}
