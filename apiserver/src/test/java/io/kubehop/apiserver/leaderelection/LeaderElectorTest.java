package io.kubehop.apiserver.leaderelection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.apiserver.storage.EtcdStore;
import io.kubehop.apiserver.storage.Store;
import io.kubehop.apiserver.storage.StoreKey;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.EtcdProcess;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two candidates, as two apiservers: each its own Vert.x and its own {@link EtcdStore} on one etcd
 * (a prefix per test), both electing on one Lease with the default times (4 s lease, 1 s retry).
 */
class LeaderElectorTest {

  @TempDir static Path dataDir;
  static EtcdProcess etcd;
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static final StoreKey LEASE = LeaderElection.SCHEDULER;

  private final List<Candidate> candidates = new ArrayList<>();

  /** One apiserver's part: its Vert.x, its store, its elector, how often it started leading. */
  static final class Candidate {
    final Vertx vertx = Vertx.vertx();
    final Store store;
    final LeaderElector elector;
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger stoppedLeading = new AtomicInteger();

    Candidate(String prefix, String identity) {
      store = EtcdStore.open(vertx, List.of(etcd.clientUrl()), prefix, 1000).await();
      elector =
          new LeaderElector(
              vertx,
              store,
              LEASE,
              LeaderElection.of(identity),
              started::incrementAndGet,
              stoppedLeading::incrementAndGet);
    }

    /** As kill -9: no release, no more renewals, its etcd connection gone. */
    void die() {
      vertx.close().await();
    }
  }

  @BeforeAll
  static void startEtcd() {
    etcd = EtcdProcess.start(dataDir.resolve("etcd"));
  }

  @AfterAll
  static void stopEtcd() {
    if (etcd != null) {
      etcd.stop();
    }
  }

  @AfterEach
  void closeCandidates() {
    for (Candidate c : candidates) {
      try {
        c.vertx.close().await();
      } catch (RuntimeException e) {
        // closed by the test already
      }
    }
  }

  private List<Candidate> twoCandidates() {
    String prefix = "/election-" + PREFIXES.incrementAndGet() + "/registry";
    Candidate a = new Candidate(prefix, "apiserver-a");
    Candidate b = new Candidate(prefix, "apiserver-b");
    candidates.add(a);
    candidates.add(b);
    // started on their own event loops, as each apiserver starts its own
    a.vertx.runOnContext(v -> a.elector.start());
    b.vertx.runOnContext(v -> b.elector.start());
    return List.of(a, b);
  }

  private static Candidate leaderOf(List<Candidate> cs) {
    return Await.value(
        "a leader",
        Duration.ofSeconds(10),
        () -> cs.stream().filter(c -> c.elector.isLeader()).findFirst().orElse(null));
  }

  private static String holder(Store store) {
    ObjectNode lease = store.get(LEASE).await();
    return lease.path("spec").path("holderIdentity").asText();
  }

  @Test
  void exactlyOneOfTwoLeadsAndTheLeaseNamesIt() throws Exception {
    List<Candidate> cs = twoCandidates();
    Candidate leader = leaderOf(cs);
    Candidate standby = cs.get(0) == leader ? cs.get(1) : cs.get(0);
    // several retry periods: the standby keeps standing by, the leader keeps its Lease
    long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (System.nanoTime() < end) {
      assertTrue(leader.elector.isLeader(), "the leader lost its lease while alive");
      assertFalse(standby.elector.isLeader(), "both lead");
      Thread.sleep(50);
    }
    assertEquals(1, leader.started.get());
    assertEquals(0, standby.started.get());
    assertEquals(leader.elector.identity(), holder(standby.store));
    ObjectNode lease = standby.store.get(LEASE).await();
    assertEquals("coordination.k8s.io/v1", lease.path("apiVersion").asText());
    assertEquals("Lease", lease.path("kind").asText());
    assertEquals(4, lease.path("spec").path("leaseDurationSeconds").asInt());
    assertEquals(0, lease.path("spec").path("leaseTransitions").asInt());
  }

  @Test
  void theStandbyTakesOverWithinTenSecondsWhenTheLeaderStopsRenewing() {
    List<Candidate> cs = twoCandidates();
    Candidate leader = leaderOf(cs);
    Candidate standby = cs.get(0) == leader ? cs.get(1) : cs.get(0);
    String dead = leader.elector.identity();
    long killed = System.nanoTime();
    leader.die();
    Await.until("the standby to lead", Duration.ofSeconds(10), standby.elector::isLeader);
    Duration took = Duration.ofNanos(System.nanoTime() - killed);
    // not before the dead leader's lease ran out: it might only have been slow
    assertTrue(took.compareTo(Duration.ofSeconds(3)) > 0, "took over after only " + took);
    assertNotEquals(dead, holder(standby.store));
    assertEquals(standby.elector.identity(), holder(standby.store));
    assertEquals(1, standby.store.get(LEASE).await().path("spec").path("leaseTransitions").asInt());
  }

  @Test
  void aLeaderThatStopsReleasesTheLeaseAndTheStandbyLeadsAtItsNextTry() {
    List<Candidate> cs = twoCandidates();
    Candidate leader = leaderOf(cs);
    Candidate standby = cs.get(0) == leader ? cs.get(1) : cs.get(0);
    long stopping = System.nanoTime();
    leader.vertx.runOnContext(v -> leader.elector.stop());
    Await.until("the standby to lead", Duration.ofSeconds(10), standby.elector::isLeader);
    Duration took = Duration.ofNanos(System.nanoTime() - stopping);
    assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "a released lease took " + took);
    assertEquals(1, leader.stoppedLeading.get());
    assertFalse(leader.elector.isLeader());
  }
}
