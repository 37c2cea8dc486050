package io.kubehop.client.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubehop.api.json.ApiJson;
import io.kubehop.streaming.inspect.EndView;
import io.kubehop.streaming.inspect.SessionView;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * One exec's chain as {@code kubehop trace} prints it. {@code trace/merged-session.json} is the
 * merge of three tiers' reports that {@code SessionChainsTest} (streaming) builds: the apiserver,
 * kubelet and runtime of a translated session.
 */
class ChainPrinterTest {

  private static SessionView merged() throws Exception {
    try (InputStream in =
        ChainPrinterTest.class.getResourceAsStream("/trace/merged-session.json")) {
      return ApiJson.read(in.readAllBytes(), SessionView.class);
    }
  }

  @Test
  void printsOneLinePerConnectionFromTheSideThatDialled() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new ChainPrinter(new PrintStream(out, true, StandardCharsets.UTF_8), false).print(merged());
    assertEquals(
        """
        exec default/demo/main  sh  ws v5 -> spdy v5  12 B down  idle 3s
          client    127.0.0.1:54012       -> apiserver 127.0.0.1:6443        websocket v5.channel.k8s.io
          apiserver 127.0.0.1:41822       -> kubelet   127.0.1.1:10250       spdy/3.1 v5.channel.k8s.io
          kubelet   127.0.0.1:38211       -> runtime   127.0.0.1:35677       spdy/3.1 v5.channel.k8s.io
          runtime   pid 4242 sh (tty)
        """,
        out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aClosedSessionSaysWhoEndedItFirst() throws Exception {
    SessionView open = merged();
    SessionView closed =
        new SessionView(
            open.id(),
            open.kind(),
            open.namespace(),
            open.pod(),
            open.container(),
            open.command(),
            "closed",
            open.openedAt(),
            open.durationMillis(),
            open.hops(),
            open.process(),
            new EndView("kubelet", "reset", null, false));
    assertEquals(
        "exec default/demo/main  sh  ws v5 -> spdy v5  12 B down  closed (kubelet first, reset)",
        ChainPrinter.header(closed));
  }

  @Test
  void shortWireNames() {
    assertEquals("ws v5", ChainPrinter.shortWire("websocket v5.channel.k8s.io"));
    assertEquals("spdy v4", ChainPrinter.shortWire("spdy/3.1 v4.channel.k8s.io"));
    assertEquals(
        "ws(spdy) pf",
        ChainPrinter.shortWire("spdy/3.1 portforward.k8s.io tunnelled in websocket"));
    assertEquals("tcp", ChainPrinter.shortWire("tcp"));
    assertEquals("http log", ChainPrinter.shortWire("http/1.1 log"));
  }
}
