package io.kubehop.kubelet.cri;

import io.kubehop.api.core.Container;
import io.kubehop.api.core.ContainerPort;
import io.kubehop.api.core.EnvVar;
import io.kubehop.api.core.Pod;
import io.kubehop.api.core.PodSpec;
import io.kubehop.cri.v1.ContainerConfig;
import io.kubehop.cri.v1.ContainerMetadata;
import io.kubehop.cri.v1.ImageSpec;
import io.kubehop.cri.v1.KeyValue;
import io.kubehop.cri.v1.LinuxContainerConfig;
import io.kubehop.cri.v1.LinuxContainerSecurityContext;
import io.kubehop.cri.v1.LinuxPodSandboxConfig;
import io.kubehop.cri.v1.LinuxSandboxSecurityContext;
import io.kubehop.cri.v1.Mount;
import io.kubehop.cri.v1.NamespaceMode;
import io.kubehop.cri.v1.NamespaceOption;
import io.kubehop.cri.v1.PodSandboxConfig;
import io.kubehop.cri.v1.PodSandboxMetadata;
import io.kubehop.cri.v1.PortMapping;
import io.kubehop.cri.v1.Protocol;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the CRI sandbox and container configs for a pod, as upstream's kuberuntime does (the
 * subset we use).
 */
public final class CriConfigs {

  private CriConfigs() {
    throw new AssertionError("No instances.");
  }

  /**
   * {@code <ns>_<pod>_<uid>}: the pod's log directory name below {@code $HOME/nodes/<node>/pods}.
   */
  public static String podLogDirName(Pod pod) {
    return pod.namespace() + "_" + pod.name() + "_" + pod.metadata().uid();
  }

  public static Map<String, String> podLabels(Pod pod) {
    Map<String, String> labels = new HashMap<>();
    if (pod.metadata().labels() != null) {
      labels.putAll(pod.metadata().labels());
    }
    labels.put(CriLabels.POD_NAME, pod.name());
    labels.put(CriLabels.POD_NAMESPACE, pod.namespace());
    labels.put(CriLabels.POD_UID, pod.metadata().uid());
    return labels;
  }

  public static PodSandboxConfig sandboxConfig(Pod pod, Path podLogsRoot, int attempt) {
    PodSandboxConfig.Builder b =
        PodSandboxConfig.newBuilder()
            .setMetadata(
                PodSandboxMetadata.newBuilder()
                    .setName(pod.name())
                    .setUid(pod.metadata().uid())
                    .setNamespace(pod.namespace())
                    .setAttempt(attempt))
            .setHostname(pod.spec().hostname() != null ? pod.spec().hostname() : pod.name())
            .setLogDirectory(podLogsRoot.resolve(podLogDirName(pod)).toString())
            .putAllLabels(podLabels(pod))
            .setLinux(
                LinuxPodSandboxConfig.newBuilder()
                    .setSecurityContext(
                        LinuxSandboxSecurityContext.newBuilder()
                            .setNamespaceOptions(namespaces(pod.spec()))));
    if (pod.metadata().annotations() != null) {
      b.putAllAnnotations(pod.metadata().annotations());
    }
    for (Container c : pod.spec().containers()) {
      for (ContainerPort p : c.ports()) {
        if (p.containerPort() == null) {
          continue;
        }
        b.addPortMappings(
            PortMapping.newBuilder()
                .setContainerPort(p.containerPort())
                .setProtocol(protocol(p.protocol())));
      }
    }
    return b.build();
  }

  private static Protocol protocol(String name) {
    if ("UDP".equals(name)) {
      return Protocol.UDP;
    }
    return "SCTP".equals(name) ? Protocol.SCTP : Protocol.TCP;
  }

  /**
   * The Linux namespaces of a pod's sandbox and containers (upstream's {@code namespacesForPod}):
   * network and IPC the pod's unless hostNetwork/hostIPC; PID each container's own, the pod's with
   * shareProcessNamespace, the node's with hostPID. PID must be set: proto3's default, 0, is POD.
   */
  public static NamespaceOption namespaces(PodSpec spec) {
    NamespaceMode pid =
        Boolean.TRUE.equals(spec.hostPID())
            ? NamespaceMode.NODE
            : Boolean.TRUE.equals(spec.shareProcessNamespace())
                ? NamespaceMode.POD
                : NamespaceMode.CONTAINER;
    return NamespaceOption.newBuilder()
        .setNetwork(
            Boolean.TRUE.equals(spec.hostNetwork()) ? NamespaceMode.NODE : NamespaceMode.POD)
        .setPid(pid)
        .setIpc(Boolean.TRUE.equals(spec.hostIPC()) ? NamespaceMode.NODE : NamespaceMode.POD)
        .build();
  }

  public static ContainerConfig containerConfig(Pod pod, Container c, int restartCount) {
    return containerConfig(pod, c, restartCount, List.of());
  }

  /** The container's config with its volume mounts ({@code ContainerMounts}), in their order. */
  public static ContainerConfig containerConfig(
      Pod pod, Container c, int restartCount, List<Mount> mounts) {
    Map<String, String> labels = new HashMap<>();
    labels.put(CriLabels.POD_NAME, pod.name());
    labels.put(CriLabels.POD_NAMESPACE, pod.namespace());
    labels.put(CriLabels.POD_UID, pod.metadata().uid());
    labels.put(CriLabels.CONTAINER_NAME, c.name());
    ContainerConfig.Builder b =
        ContainerConfig.newBuilder()
            .setMetadata(ContainerMetadata.newBuilder().setName(c.name()).setAttempt(restartCount))
            .setImage(
                ImageSpec.newBuilder()
                    .setImage(c.image() == null ? "" : c.image())
                    .setUserSpecifiedImage(c.image() == null ? "" : c.image()))
            .addAllCommand(c.command())
            .addAllArgs(c.args())
            .setWorkingDir(c.workingDir() == null ? "" : c.workingDir())
            .putAllLabels(labels)
            .putAnnotations(CriLabels.RESTART_COUNT, Integer.toString(restartCount))
            .putAnnotations(
                CriLabels.TERMINATION_GRACE_PERIOD,
                Long.toString(pod.spec().effectiveGracePeriodSeconds()))
            .setLogPath(c.name() + "/" + restartCount + ".log")
            .setStdin(c.wantsStdin())
            .setStdinOnce(Boolean.TRUE.equals(c.stdinOnce()))
            .setTty(c.wantsTty())
            .addAllMounts(mounts)
            .setLinux(
                LinuxContainerConfig.newBuilder()
                    .setSecurityContext(
                        LinuxContainerSecurityContext.newBuilder()
                            .setNamespaceOptions(namespaces(pod.spec()))));
    for (EnvVar e : c.env()) {
      b.addEnvs(
          KeyValue.newBuilder().setKey(e.name()).setValue(e.value() == null ? "" : e.value()));
    }
    return b.build();
  }
}
