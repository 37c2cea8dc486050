package io.kubehop.kubelet;

import static io.kubehop.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.cri.v1.ExecRequest;
import io.kubehop.streaming.remotecommand.StreamOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --redirect-container-streaming}: 302 to the runtime, and the kubelet keeps no socket of
 * the session.
 */
class RedirectModeTest {

  @TempDir Path home;

  private StreamingHarness s;

  @BeforeEach
  void start() throws Exception {
    s = new StreamingHarness(home, true);
  }

  @AfterEach
  void stop() throws Exception {
    s.close();
  }

  @Test
  void answers302WithTheRuntimeUrlAndHoldsNoRuntimeSocket() throws Exception {
    RawHttp.Response r =
        RawHttp.exchange(
            s.h.port,
            RawHttp.spdyPost(
                "/exec/default/demo/main?command=echo&command=via&command=redirect&output=1"));
    assertEquals(302, r.status());
    String location = r.header("location");
    assertTrue(
        location.matches("http://127\\.0\\.0\\.1:" + s.streaming.port() + "/exec/[A-Za-z0-9_-]{8}"),
        location);
    assertEquals("0", r.header("content-length"));
    assertEquals("", r.body());
    assertTrue(r.closed(), "the kubelet closes the connection after the redirect");
    assertEquals(0, s.h.kubelet.hops().size());
    assertEquals(0, s.streaming.connections(), "the kubelet never dialled the runtime");
    assertEquals(
        ExecRequest.newBuilder()
            .setContainerId(s.containerId("main"))
            .addCmd("echo")
            .addCmd("via")
            .addCmd("redirect")
            .setStdout(true)
            .build(),
        s.h.runtime.calls("Exec").get(0).request());

    // The apiserver follows the redirect and streams with the runtime itself.
    URI target = URI.create(location);
    StreamingHarness.Session followed =
        s.execAt(
            s.client.createNetClient(),
            target.getPort(),
            target.getPath(),
            new StreamOptions(false, true, false, false),
            null,
            Map.of());
    await(followed.done());
    assertEquals("via redirect\n", await(followed.stdout().ended()).toString());
    assertEquals(1, s.streaming.connections());
    assertEquals(0, s.h.kubelet.hops().size());
  }

  @Test
  void errorsAreStillAnsweredByTheKubelet() throws Exception {
    RawHttp.Response r =
        RawHttp.exchange(s.h.port, RawHttp.spdyPost("/attach/default/nopod/main?output=1"));
    assertEquals(404, r.status());
    assertEquals("pod does not exist", r.body());
  }
}
