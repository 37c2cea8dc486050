package io.kubehop.streaming.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.net.SocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HopRegistryTest {

  private static final SessionSubject EXEC =
      new SessionSubject(
          "exec", "default/demo", "main", new Peer("kubelet", "node-1", "127.0.1.1:10250"));

  /** A translated hop whose "connections" close when {@link HopSession#close()} runs. */
  private static HopSession hop(String id) {
    HopSession[] self = new HopSession[1];
    self[0] =
        new HopSession(
            id,
            "http://127.0.1.1:10250/exec/default/demo/main",
            HopSession.Kind.TRANSLATED,
            "v5.channel.k8s.io",
            "v4.channel.k8s.io",
            SocketAddress.inetSocketAddress(6443, "127.0.0.1"),
            SocketAddress.inetSocketAddress(50000, "127.0.0.1"),
            SocketAddress.inetSocketAddress(50001, "127.0.0.1"),
            SocketAddress.inetSocketAddress(10250, "127.0.1.1"),
            () -> self[0].markClosed());
    return self[0];
  }

  @Test
  void clientIdsAreLowercaseDigitsAndDashesOf8To63() {
    for (String ok :
        List.of(
            "cli-0123456789abcdef", "abcdefgh", "0-------", "a".repeat(63), "0123456789abcdef")) {
      assertTrue(HopRegistry.isClientId(ok), ok);
    }
    for (String bad :
        List.of(
            "abcdefg", // 7
            "a".repeat(64),
            "-abcdefgh",
            "ABCDEFGH",
            "cli-0123_456789",
            "cli.01234567",
            "cli 01234567",
            "")) {
      assertFalse(HopRegistry.isClientId(bad), bad);
    }
    assertFalse(HopRegistry.isClientId(null));
    assertTrue(HopRegistry.isClientId(HopRegistry.newId()));
  }

  @Test
  void aWellFormedUnusedIdIsKeptAndAMalformedOneReplaced() {
    HopRegistry registry = new HopRegistry("kubelet");
    assertEquals("cli-0123456789abcdef", registry.claim("cli-0123456789abcdef", EXEC));
    String replaced = registry.claim("Not_An_Id", EXEC);
    assertTrue(HopRegistry.isClientId(replaced), replaced);
    String absent = registry.claim(null, EXEC);
    assertTrue(HopRegistry.isClientId(absent), absent);
    assertNotEquals(replaced, absent);
  }

  @Test
  void anIdClaimedLiveOrRememberedIsNeverGivenTwice() {
    HopRegistry registry = new HopRegistry("kubelet");
    String id = registry.claim("cli-aaaaaaaaaaaaaaaa", EXEC);
    assertNotEquals(id, registry.claim(id, EXEC), "claimed, not yet open");

    HopSession first = hop(id);
    registry.add(first);
    assertNotEquals(id, registry.claim(id, EXEC), "live");

    first.close();
    assertEquals(List.of(), List.copyOf(registry.active()));
    assertEquals(List.of(first), registry.closed());
    assertNotEquals(id, registry.claim(id, EXEC), "remembered");
    assertEquals(Optional.of(first), registry.find(id));
  }

  @Test
  void aReleasedClaimCanBeTakenAgain() {
    HopRegistry registry = new HopRegistry("kubelet");
    String id = registry.claim("cli-bbbbbbbbbbbbbbbb", EXEC);
    registry.release(id);
    assertEquals(id, registry.claim(id, EXEC));
  }

  @Test
  void aDuplicateIdAtATierBehindKeepsBothHops() {
    // A tier behind the first takes ids as given: two hops with one id must both stay held.
    HopRegistry registry = new HopRegistry("runtime");
    HopSession a = hop("dup-00000000");
    HopSession b = hop("dup-00000000");
    registry.add(a);
    registry.add(b);
    assertEquals(2, registry.size());
    a.close();
    assertEquals(List.of(b), List.copyOf(registry.active()));
    assertEquals(Optional.of(b), registry.find("dup-00000000"));
  }

  @Test
  void theLast200ClosedSessionsAreRemembered() {
    HopRegistry registry = new HopRegistry("kubelet");
    for (int i = 0; i <= HopRegistry.REMEMBERED; i++) {
      String id = registry.claim(String.format("ring-%08d", i), EXEC);
      HopSession h = hop(id);
      registry.add(h);
      h.close();
    }
    List<HopSession> closed = registry.closed();
    assertEquals(HopRegistry.REMEMBERED, closed.size());
    assertEquals("ring-00000001", closed.get(0).id());
    assertEquals("ring-00000200", closed.get(closed.size() - 1).id());
    assertEquals(Optional.empty(), registry.find("ring-00000000"));
    assertEquals("ring-00000000", registry.claim("ring-00000000", EXEC), "forgotten, free again");
  }

  @Test
  void theFirstEndCountsAndTheClaimsSubjectNamesTheBackend() {
    HopRegistry registry = new HopRegistry("kubelet");
    HopSession h = hop(registry.claim("cli-cccccccccccccccc", EXEC));
    registry.add(h);
    assertTrue(h.ended().isEmpty());
    h.end(SessionEnd.Side.BACKEND, SessionEnd.How.RESET);
    h.end(SessionEnd.Side.CLIENT, SessionEnd.How.CLOSED);
    h.close();
    assertEquals(SessionEnd.Side.BACKEND, h.ended().orElseThrow().first());
    assertEquals(SessionEnd.How.RESET, h.ended().orElseThrow().how());
    assertEquals(Optional.of(EXEC), h.subject());
    assertEquals("kubelet node-1 (127.0.1.1:10250)", h.backend().describe());
  }

  @Test
  void withoutASubjectTheBackendIsTheRoleAndTheAddressDialled() {
    HopRegistry registry = new HopRegistry("runtime");
    HopSession h = hop("0123456789abcdef");
    registry.add(h);
    assertEquals("runtime (127.0.1.1:10250)", h.backend().describe());
    h.close();
    assertEquals(SessionEnd.Side.SELF, h.ended().orElseThrow().first());
  }
}
