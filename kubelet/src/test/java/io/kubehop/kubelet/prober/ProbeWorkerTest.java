package io.kubehop.kubelet.prober;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.api.core.Probe;
import io.kubehop.kubelet.prober.ProbeWorker.ContainerView;
import io.kubehop.kubelet.prober.ProbeWorker.Result;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProbeWorkerTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Probe probe(Integer delay, Integer success, Integer failure) {
    return new Probe(null, null, null, delay, null, null, success, failure, null);
  }

  private static ContainerView running(String id) {
    return new ContainerView(id, true, T0);
  }

  @Test
  void initialValuesAreUpstreams() {
    ProbeWorker readiness = new ProbeWorker(ProbeType.READINESS, probe(null, null, null), "c");
    ProbeWorker liveness = new ProbeWorker(ProbeType.LIVENESS, probe(null, null, null), "c");
    ProbeWorker startup = new ProbeWorker(ProbeType.STARTUP, probe(null, null, null), "c");
    assertTrue(readiness.observe(running("a")));
    assertTrue(liveness.observe(running("a")));
    assertFalse(startup.observe(running("a")));
    assertEquals(Result.FAILURE, readiness.result("a"));
    assertEquals(Result.SUCCESS, liveness.result("a"));
    assertNull(startup.result("a"));
    assertNull(readiness.result("other"));
  }

  @Test
  void failurePublishesOnlyAtTheThresholdAndASuccessResetsTheRun() {
    ProbeWorker w = new ProbeWorker(ProbeType.LIVENESS, probe(null, null, 3), "c");
    w.observe(running("a"));
    assertFalse(w.record("a", false));
    assertFalse(w.record("a", false));
    assertFalse(w.record("a", true)); // still Success: the run of failures starts over
    assertFalse(w.record("a", false));
    assertFalse(w.record("a", false));
    assertEquals(Result.SUCCESS, w.result("a"));
    assertTrue(w.record("a", false));
    assertEquals(Result.FAILURE, w.result("a"));
  }

  @Test
  void aFailedLivenessProbeHoldsUntilTheContainerIsReplaced() {
    ProbeWorker w = new ProbeWorker(ProbeType.LIVENESS, probe(null, null, 1), "c");
    w.observe(running("a"));
    assertTrue(w.shouldProbe(running("a"), true, T0));
    assertTrue(w.record("a", false));
    assertFalse(w.shouldProbe(running("a"), true, T0.plusSeconds(5)));
    assertFalse(w.record("a", true)); // a late success does not revive it
    assertTrue(w.observe(running("b")));
    assertEquals(Result.SUCCESS, w.result("b"));
    assertTrue(w.shouldProbe(running("b"), true, T0));
  }

  @Test
  void readinessNeedsSuccessThresholdSuccessesAndNeverHolds() {
    ProbeWorker w = new ProbeWorker(ProbeType.READINESS, probe(null, 2, 1), "c");
    w.observe(running("a"));
    assertFalse(w.record("a", true));
    assertTrue(w.record("a", true));
    assertEquals(Result.SUCCESS, w.result("a"));
    assertTrue(w.record("a", false));
    assertEquals(Result.FAILURE, w.result("a"));
    assertTrue(w.shouldProbe(running("a"), true, T0));
  }

  @Test
  void theStartupProbeGatesTheOthers() {
    ProbeWorker startup = new ProbeWorker(ProbeType.STARTUP, probe(null, null, null), "c");
    ProbeWorker readiness = new ProbeWorker(ProbeType.READINESS, probe(null, null, null), "c");
    startup.observe(running("a"));
    readiness.observe(running("a"));
    assertTrue(startup.shouldProbe(running("a"), false, T0));
    assertFalse(readiness.shouldProbe(running("a"), false, T0));
    assertFalse(startup.shouldProbe(running("a"), true, T0));
    assertTrue(readiness.shouldProbe(running("a"), true, T0));
  }

  @Test
  void waitsForTheInitialDelaySinceTheContainerStarted() {
    ProbeWorker w = new ProbeWorker(ProbeType.READINESS, probe(5, null, null), "c");
    w.observe(running("a"));
    assertFalse(w.shouldProbe(running("a"), true, T0.plusSeconds(4)));
    assertTrue(w.shouldProbe(running("a"), true, T0.plusSeconds(5)));
  }

  @Test
  void aContainerThatIsNotRunningFailsAndIsNotProbed() {
    ProbeWorker w = new ProbeWorker(ProbeType.READINESS, probe(null, null, null), "c");
    w.observe(running("a"));
    w.record("a", true);
    assertEquals(Result.SUCCESS, w.result("a"));
    ContainerView exited = new ContainerView("a", false, null);
    assertTrue(w.observe(exited));
    assertEquals(Result.FAILURE, w.result("a"));
    assertFalse(w.shouldProbe(exited, true, T0));
  }

  @Test
  void aResultForAReplacedAttemptIsIgnored() {
    ProbeWorker w = new ProbeWorker(ProbeType.STARTUP, probe(null, null, 1), "c");
    w.observe(running("a"));
    w.observe(running("b"));
    assertFalse(w.record("a", false));
    assertNull(w.result("b"));
  }

  @Test
  void defaultsAreUpstreams() {
    Probe p = probe(null, null, null);
    assertEquals(0, p.effectiveInitialDelaySeconds());
    assertEquals(10, p.effectivePeriodSeconds());
    assertEquals(1, p.effectiveTimeoutSeconds());
    assertEquals(1, p.effectiveSuccessThreshold());
    assertEquals(3, p.effectiveFailureThreshold());
  }
}
