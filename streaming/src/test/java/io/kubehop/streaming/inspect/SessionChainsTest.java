package io.kubehop.streaming.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kubehop.api.json.ApiJson;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Three tiers' reports of one exec merged into one chain. */
class SessionChainsTest {

  private static final String AT = "2026-12-04T09:11:00.455Z";

  private static HopView hop(
      String tier, long pid, String local, String remote, String peer, String protocol) {
    return new HopView(
        tier, pid, local, remote, peer, null, protocol, 6L, 12L, AT, 3L, null, null, null);
  }

  private static SessionView session(
      String kind, String ns, String pod, String container, List<HopView> hops, ProcessView p) {
    return new SessionView(
        "9c285ae7001a827d",
        kind,
        ns,
        pod,
        container,
        kind == null ? null : List.of("sh"),
        "open",
        AT,
        2578,
        hops,
        p,
        null);
  }

  static List<SessionsView> threeTiers() {
    SessionsView apiserver =
        new SessionsView(
            "apiserver",
            100,
            List.of(
                session(
                    "exec",
                    "default",
                    "demo",
                    "main",
                    List.of(
                        hop(
                            "apiserver",
                            100,
                            "127.0.0.1:6443",
                            "127.0.0.1:54012",
                            "client",
                            "websocket v5.channel.k8s.io"),
                        hop(
                            "apiserver",
                            100,
                            "127.0.0.1:41822",
                            "127.0.1.1:10250",
                            "kubelet",
                            "spdy/3.1 v5.channel.k8s.io")),
                    null)));
    SessionsView kubelet =
        new SessionsView(
            "kubelet",
            200,
            List.of(
                session(
                    "exec",
                    "default",
                    "demo",
                    "main",
                    List.of(
                        hop(
                            "kubelet",
                            200,
                            "127.0.1.1:10250",
                            "127.0.0.1:41822",
                            "apiserver",
                            "spdy/3.1 v5.channel.k8s.io"),
                        hop(
                            "kubelet",
                            200,
                            "127.0.0.1:38211",
                            "127.0.0.1:35677",
                            "runtime",
                            "spdy/3.1 v5.channel.k8s.io")),
                    null)));
    SessionsView runtime =
        new SessionsView(
            "runtime",
            300,
            List.of(
                new SessionView(
                    "9c285ae7001a827d",
                    "exec",
                    null,
                    null,
                    "e9586b057f82",
                    List.of("sh"),
                    "open",
                    AT,
                    2000,
                    List.of(
                        new HopView(
                            "runtime",
                            300,
                            "127.0.0.1:35677",
                            "127.0.0.1:38211",
                            null,
                            null,
                            "spdy/3.1 v5.channel.k8s.io",
                            null,
                            null,
                            AT,
                            null,
                            null,
                            null,
                            null)),
                    new ProcessView(4242, List.of("sh"), true),
                    null)));
    return List.of(apiserver, kubelet, runtime);
  }

  @Test
  void mergesTheTiersAndNamesTheRuntimesPeerByTheAddresses() {
    List<SessionView> merged = SessionChains.merge(threeTiers());
    assertEquals(1, merged.size());
    SessionView s = merged.get(0);
    assertEquals("main", s.container(), "the name, not the runtime's container id");
    assertEquals(5, s.hops().size());
    assertEquals("kubelet", s.hops().get(4).peer());
    assertEquals(4242, s.process().pid());
    assertNull(s.ended());
  }

  @Test
  void keepsTheApiserverThatNamedItselfOnTheSession() {
    List<SessionsView> tiers = new java.util.ArrayList<>(threeTiers());
    SessionsView apiserver = tiers.get(0);
    tiers.set(
        0,
        new SessionsView(
            apiserver.tier(),
            apiserver.pid(),
            apiserver.sessions().stream().map(s -> s.withApiserver("apiserver-2")).toList()));
    SessionView merged = SessionChains.merge(tiers).get(0);
    assertEquals("apiserver-2", merged.apiserver());
    assertEquals(5, merged.hops().size());
    assertNull(SessionChains.merge(threeTiers()).get(0).apiserver(), "no apiserver named itself");
  }

  @Test
  void theJsonIsTheTiersSchemaAndReadsBack() throws Exception {
    SessionView s = SessionChains.merge(threeTiers()).get(0);
    String json = ApiJson.write(s);
    assertEquals(s, ApiJson.read(json, SessionView.class));
    assertEquals(
        "{\"tier\":\"runtime\",\"pid\":300,\"local\":\"127.0.0.1:35677\","
            + "\"remote\":\"127.0.0.1:38211\",\"peer\":\"kubelet\","
            + "\"protocol\":\"spdy/3.1 v5.channel.k8s.io\",\"openedAt\":\""
            + AT
            + "\"}",
        ApiJson.write(s.hops().get(4)));
  }
}
