package io.kubehop.runtime.pod;

import io.kubehop.cri.v1.PodSandboxConfig;
import io.kubehop.cri.v1.PodSandboxNetworkStatus;
import io.kubehop.cri.v1.PodSandboxState;
import io.kubehop.cri.v1.PodSandboxStatus;
import io.kubehop.runtime.isolation.PodNamespaces;
import java.nio.file.Path;
import java.util.List;

/**
 * A pod sandbox: the pod's identity, its IP, its directory, its state and, when containers are
 * isolated, the process holding the namespaces its containers share (the pause container). The
 * containers of the pod refer to it by id.
 */
public final class PodSandbox {

  private final String id;
  private final PodSandboxConfig config;
  private final String ip;
  private final long createdAt;
  private final Path podDir;
  private volatile PodSandboxState state = PodSandboxState.SANDBOX_READY;
  private volatile PodNamespaces namespaces;

  public PodSandbox(String id, PodSandboxConfig config, String ip, long createdAt, Path podDir) {
    this.id = id;
    this.config = config;
    this.ip = ip;
    this.createdAt = createdAt;
    this.podDir = podDir;
  }

  public String id() {
    return id;
  }

  public PodSandboxConfig config() {
    return config;
  }

  /** The pod's own IP (a loopback address from the pod CIDR). */
  public String ip() {
    return ip;
  }

  /**
   * The pod's directory under the runtime's state dir: the default working directory of its
   * containers.
   */
  public Path podDir() {
    return podDir;
  }

  /** Creation time, nanoseconds since the epoch. */
  public long createdAt() {
    return createdAt;
  }

  public PodSandboxState state() {
    return state;
  }

  void markNotReady() {
    state = PodSandboxState.SANDBOX_NOTREADY;
  }

  /** The namespaces the pod's containers share; null without isolation or once stopped. */
  public PodNamespaces namespaces() {
    return namespaces;
  }

  void holdNamespaces(PodNamespaces namespaces) {
    this.namespaces = namespaces;
  }

  /** Ends the namespace holder, if any. */
  void releaseNamespaces() {
    PodNamespaces held = namespaces;
    namespaces = null;
    if (held != null) {
      held.close();
    }
  }

  /** Whether the pod's containers share one PID namespace ({@code shareProcessNamespace}). */
  public boolean sharesPid() {
    return config.getLinux().getSecurityContext().getNamespaceOptions().getPid()
        == io.kubehop.cri.v1.NamespaceMode.POD;
  }

  /** The hostname the pod's processes see: the config's hostname, else the pod name. */
  public String hostname() {
    return config.getHostname().isEmpty() ? config.getMetadata().getName() : config.getHostname();
  }

  /**
   * The TCP container ports the pod declares (from the sandbox config's port mappings), in order,
   * distinct.
   */
  public List<Integer> containerPorts() {
    return config.getPortMappingsList().stream()
        .filter(mapping -> mapping.getProtocolValue() == 0 && mapping.getContainerPort() > 0)
        .map(mapping -> mapping.getContainerPort())
        .distinct()
        .toList();
  }

  /** The CRI status. */
  public PodSandboxStatus toStatus() {
    return PodSandboxStatus.newBuilder()
        .setId(id)
        .setMetadata(config.getMetadata())
        .setState(state)
        .setCreatedAt(createdAt)
        .setNetwork(PodSandboxNetworkStatus.newBuilder().setIp(ip))
        .putAllLabels(config.getLabelsMap())
        .putAllAnnotations(config.getAnnotationsMap())
        .build();
  }

  /** The CRI list item. */
  public io.kubehop.cri.v1.PodSandbox toListItem() {
    return io.kubehop.cri.v1.PodSandbox.newBuilder()
        .setId(id)
        .setMetadata(config.getMetadata())
        .setState(state)
        .setCreatedAt(createdAt)
        .putAllLabels(config.getLabelsMap())
        .putAllAnnotations(config.getAnnotationsMap())
        .build();
  }
}
