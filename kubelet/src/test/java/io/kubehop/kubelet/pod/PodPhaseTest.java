package io.kubehop.kubelet.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubehop.api.core.ContainerState;
import io.kubehop.api.core.ContainerStatus;
import io.kubehop.api.core.Pod;
import io.kubehop.api.core.PodSpec;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodPhaseTest {

  private static ContainerStatus status(String kind) {
    ContainerState.Terminated ok =
        new ContainerState.Terminated(0, null, "Completed", null, null, null, null);
    ContainerState.Terminated bad =
        new ContainerState.Terminated(1, null, "Error", null, null, null, null);
    return switch (kind) {
      case "running" ->
          new ContainerStatus("c", ContainerState.running("t"), null, true, 0, "i", "", "id", true);
      case "creating" ->
          new ContainerStatus(
              "c",
              ContainerState.waiting("ContainerCreating", null),
              null,
              false,
              0,
              "i",
              "",
              null,
              false);
      case "backoff" ->
          new ContainerStatus(
              "c",
              ContainerState.waiting("CrashLoopBackOff", "m"),
              ContainerState.terminated(bad),
              false,
              1,
              "i",
              "",
              "id",
              false);
      case "exit0" ->
          new ContainerStatus(
              "c", ContainerState.terminated(ok), null, false, 0, "i", "", "id", false);
      default ->
          new ContainerStatus(
              "c", ContainerState.terminated(bad), null, false, 0, "i", "", "id", false);
    };
  }

  @ParameterizedTest(name = "{0} + {1} -> {2}")
  @CsvSource({
    "Always,creating,Pending", "Always,running,Running", "Always,backoff,Running",
        "Always,exit0,Running",
    "Never,exit0,Succeeded", "Never,exit1,Failed", "OnFailure,exit0,Succeeded",
        "OnFailure,exit1,Running",
    "Never,running exit1,Running", "Never,exit0 exit1,Failed", "Never,creating running,Pending"
  })
  void followsUpstreamGetPhase(String policy, String containers, String phase) {
    Pod pod =
        new Pod(
            "v1", "Pod", null, new PodSpec(List.of(), null, policy, "n", null, null, null), null);
    List<ContainerStatus> statuses =
        Arrays.stream(containers.split(" ")).map(PodPhaseTest::status).toList();
    assertEquals(phase, PodStatusBuilder.phase(pod, statuses, null));
  }
}
