package io.kubehop.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** core/v1 NodeStatus (subset). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record NodeStatus(
    Map<String, String> capacity,
    Map<String, String> allocatable,
    List<NodeCondition> conditions,
    List<NodeAddress> addresses,
    DaemonEndpoints daemonEndpoints,
    NodeSystemInfo nodeInfo) {

  public List<NodeCondition> conditions() {
    return conditions == null ? List.of() : conditions;
  }

  public List<NodeAddress> addresses() {
    return addresses == null ? List.of() : addresses;
  }

  public Optional<NodeCondition> condition(String type) {
    return conditions().stream().filter(c -> type.equals(c.type())).findFirst();
  }

  /** The address of the given type (InternalIP, Hostname), if the node reports one. */
  public Optional<String> address(String type) {
    return addresses().stream()
        .filter(a -> type.equals(a.type()))
        .map(NodeAddress::address)
        .findFirst();
  }

  /** core/v1 NodeDaemonEndpoints: where the kubelet listens. */
  public record DaemonEndpoints(Endpoint kubeletEndpoint) {}

  /** core/v1 DaemonEndpoint. */
  public record Endpoint(@JsonProperty("Port") int port) {}

  /** core/v1 NodeSystemInfo (subset). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NodeSystemInfo(
      String machineID,
      String systemUUID,
      String bootID,
      String kernelVersion,
      String osImage,
      String containerRuntimeVersion,
      String kubeletVersion,
      String kubeProxyVersion,
      String operatingSystem,
      String architecture) {}
}
