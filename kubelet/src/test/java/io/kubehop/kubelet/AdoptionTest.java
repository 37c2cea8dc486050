package io.kubehop.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubehop.cri.v1.PodSandboxConfig;
import io.kubehop.cri.v1.PodSandboxMetadata;
import io.kubehop.cri.v1.RunPodSandboxRequest;
import io.kubehop.testkit.Await;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdoptionTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path home;

  @Test
  void aRestartedKubeletAdoptsWhatRunsAndRemovesOrphans() throws Exception {
    try (KubeletHarness h = new KubeletHarness(home)) {
      h.startKubelet();
      h.api.createPod(
          PodLifecycleTest.pod("keep", "Always", "{\"name\":\"main\",\"image\":\"busybox\"}"));
      h.api.createPod(
          PodLifecycleTest.pod(
              "done",
              "Never",
              "{\"name\":\"main\",\"image\":\"busybox\",\"command\":[\"fake-exit\",\"0\"]}"));
      Await.until(
          "keep Running and done Succeeded",
          WAIT,
          () ->
              "Running".equals(h.api.pod("default", "keep").at("/status/phase").asText())
                  && "Succeeded".equals(h.api.pod("default", "done").at("/status/phase").asText()));
      h.stopKubelet();

      // While no kubelet runs, a sandbox appears for a pod that does not exist.
      h.runtime.runPodSandbox(
          RunPodSandboxRequest.newBuilder()
              .setConfig(
                  PodSandboxConfig.newBuilder()
                      .setMetadata(
                          PodSandboxMetadata.newBuilder()
                              .setName("ghost")
                              .setNamespace("default")
                              .setUid("ghost-uid"))
                      .putLabels("io.kubernetes.pod.uid", "ghost-uid")
                      .setLogDirectory(home.toString()))
              .build());
      int lists = h.runtime.calls("ListContainers").size();

      h.startKubelet();
      Await.until(
          "the new kubelet synced both pods a few times",
          WAIT,
          () -> h.runtime.calls("ListContainers").size() >= lists + 6);
      Await.until(
          "orphan sandbox removed",
          WAIT,
          () ->
              h.runtime.sandboxes().stream()
                  .noneMatch(s -> s.config.getMetadata().getUid().equals("ghost-uid")));
      assertEquals(
          2,
          h.runtime.calls("RunPodSandbox").size() - 1,
          "no new sandbox (the third was the orphan)");
      assertEquals(2, h.runtime.calls("CreateContainer").size(), "no new container");
      assertEquals(2, h.runtime.calls("StartContainer").size());
      assertEquals("Running", h.api.pod("default", "keep").at("/status/phase").asText());
      assertEquals("Succeeded", h.api.pod("default", "done").at("/status/phase").asText());
    }
  }
}
