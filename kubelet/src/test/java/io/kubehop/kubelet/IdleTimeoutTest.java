package io.kubehop.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.cri.v1.ExecRequest;
import io.kubehop.kubelet.fake.FakeRuntime;
import io.kubehop.kubelet.fake.ObservedStreamingServer;
import io.kubehop.kubelet.server.HealthzRoute;
import io.kubehop.kubelet.server.KubeletServer;
import io.kubehop.kubelet.streaming.ProxyForwarder;
import io.kubehop.kubelet.streaming.StreamTarget;
import io.kubehop.streaming.proxy.HopRegistry;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.client.SpdyExecutor;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.BufferSink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's idle timeout closes idle keep-alive connections, never a proxied stream that is
 * merely quiet.
 */
class IdleTimeoutTest {

  private static final Duration IDLE = Duration.ofMillis(500);

  @TempDir Path home;

  @Test
  void aQuietSessionOutlivesTheIdleTimeoutAnIdleKeepAliveConnectionDoesNot() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (FakeRuntime runtime = new FakeRuntime(home.resolve("runtime.sock"));
        ObservedStreamingServer streaming = new ObservedStreamingServer()) {
      runtime.streaming(streaming.server());
      HopRegistry hops = new HopRegistry();
      ProxyForwarder forwarder = new ProxyForwarder(vertx, hops);
      int port =
          new KubeletServer(vertx, IDLE)
              .route("healthz", new HealthzRoute())
              .route(
                  "exec",
                  (req, segments) ->
                      runtime
                          .exec(
                              ExecRequest.newBuilder()
                                  .setContainerId("quiet")
                                  .addCmd("cat")
                                  .setStdin(true)
                                  .setStdout(true)
                                  .build())
                          .onSuccess(
                              r ->
                                  forwarder.forward(
                                      req,
                                      new StreamTarget(
                                          "quiet",
                                          "exec",
                                          "default/demo",
                                          "main",
                                          URI.create(r.getUrl()),
                                          null))))
              .listen("127.0.0.1", 0)
              .await(10, TimeUnit.SECONDS);

      BufferSource stdin = new BufferSource(vertx.getOrCreateContext());
      BufferSink stdout = new BufferSink();
      Future<Void> done =
          new SpdyExecutor(vertx, vertx.createNetClient())
              .stream(
                  new SpdyExecutor.Target(
                      "127.0.0.1", port, "POST", "/exec/default/demo/main", Map.of()),
                  new StreamOptions(true, true, false, false),
                  stdin,
                  stdout,
                  null);
      Await.until("the session to be spliced", Duration.ofSeconds(10), () -> hops.size() == 1);
      Thread.sleep(
          IDLE.toMillis() * 3); // the subject of the test: a silence longer than the idle timeout
      assertEquals(1, hops.size(), "the quiet session is still there");
      stdin.push("still here");
      stdin.end();
      done.await(10, TimeUnit.SECONDS);
      assertEquals("still here", stdout.ended().await(10, TimeUnit.SECONDS).toString());

      RawHttp.Response health =
          RawHttp.exchange(port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertEquals("ok", health.body());
      assertTrue(health.closed(), "an idle keep-alive connection is closed after the idle timeout");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
