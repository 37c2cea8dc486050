package io.kubehop.client.printers;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.util.HumanDuration;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * kubectl's {@code describeNode}: the header, lease, conditions, addresses, capacity and
 * allocatable, system info, the node's non-terminated pods with their requests and limits, the
 * allocated totals, and events.
 */
public final class NodeDescriber {

  private NodeDescriber() {
    throw new AssertionError("No instances.");
  }

  /**
   * @param pods the node's non-terminated pods (a PodList)
   * @param leaseError why the node's Lease could not be read, or null when {@code lease} is it
   */
  public static void describe(
      JsonNode node,
      JsonNode lease,
      String leaseError,
      JsonNode pods,
      Instant now,
      DescribeWriter w) {
    JsonNode meta = node.path("metadata");
    JsonNode spec = node.path("spec");
    JsonNode status = node.path("status");
    w.write(0, "Name:\t" + meta.path("name").asText() + "\n");
    List<String> roles = roles(meta.path("labels"));
    w.write(0, "Roles:\t" + (roles.isEmpty() ? "<none>" : String.join(",", roles)) + "\n");
    w.labels("Labels", meta.path("labels"));
    w.annotations("Annotations", meta.path("annotations"));
    w.write(0, "CreationTimestamp:\t" + DescribeWriter.time(meta.path("creationTimestamp")) + "\n");
    taints(w, spec.path("taints"));
    w.write(0, "Unschedulable:\t" + spec.path("unschedulable").asBoolean(false) + "\n");
    if (leaseError != null) {
      w.write(0, "Lease:\tFailed to get lease: " + leaseError + "\n");
    } else {
      JsonNode l = lease.path("spec");
      w.write(0, "Lease:\n");
      w.write(1, "HolderIdentity:\t" + l.path("holderIdentity").asText("<unset>") + "\n");
      w.write(1, "AcquireTime:\t" + DescribeWriter.time(l.path("acquireTime")) + "\n");
      w.write(1, "RenewTime:\t" + DescribeWriter.time(l.path("renewTime")) + "\n");
    }
    if (!status.path("conditions").isEmpty()) {
      w.write(
          0,
          "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
      w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n");
      for (JsonNode c : status.path("conditions")) {
        w.write(
            1,
            c.path("type").asText()
                + " \t"
                + c.path("status").asText()
                + " \t"
                + DescribeWriter.time(c.path("lastHeartbeatTime"))
                + " \t"
                + DescribeWriter.time(c.path("lastTransitionTime"))
                + " \t"
                + c.path("reason").asText("")
                + " \t"
                + c.path("message").asText("")
                + "\n");
      }
    }
    w.write(0, "Addresses:\n");
    for (JsonNode a : status.path("addresses")) {
      w.write(1, a.path("type").asText() + ":\t" + a.path("address").asText() + "\n");
    }
    resourceList(w, "Capacity", status.path("capacity"));
    resourceList(w, "Allocatable", status.path("allocatable"));
    JsonNode info = status.path("nodeInfo");
    w.write(0, "System Info:\n");
    String[][] fields = {
      {"Machine ID", "machineID"},
      {"System UUID", "systemUUID"},
      {"Boot ID", "bootID"},
      {"Kernel Version", "kernelVersion"},
      {"OS Image", "osImage"},
      {"Operating System", "operatingSystem"},
      {"Architecture", "architecture"},
      {"Container Runtime Version", "containerRuntimeVersion"},
      {"Kubelet Version", "kubeletVersion"},
      {"Kube-Proxy Version", "kubeProxyVersion"}
    };
    for (String[] f : fields) {
      w.write(0, "  " + f[0] + ":\t" + info.path(f[1]).asText("") + "\n");
    }
    if (!spec.path("podCIDR").asText("").isEmpty()) {
      w.write(0, "PodCIDR:\t" + spec.path("podCIDR").asText() + "\n");
    }
    if (!spec.path("podCIDRs").isEmpty()) {
      List<String> cidrs = new ArrayList<>();
      spec.path("podCIDRs").forEach(c -> cidrs.add(c.asText()));
      w.write(0, "PodCIDRs:\t" + String.join(",", cidrs) + "\n");
    }
    if (!spec.path("providerID").asText("").isEmpty()) {
      w.write(0, "ProviderID:\t" + spec.path("providerID").asText() + "\n");
    }
    JsonNode allocatable =
        status.path("allocatable").isEmpty() ? status.path("capacity") : status.path("allocatable");
    podResources(w, pods, allocatable, now);
    w.noEvents();
  }

  private static void podResources(
      DescribeWriter w, JsonNode pods, JsonNode allocatable, Instant now) {
    w.write(0, "Non-terminated Pods:\t(" + pods.path("items").size() + " in total)\n");
    w.write(
        1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n");
    w.write(
        1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
    BigDecimal[] totals = new BigDecimal[6];
    java.util.Arrays.fill(totals, BigDecimal.ZERO);
    for (JsonNode pod : pods.path("items")) {
      BigDecimal cpuReq = sum(pod, "requests", "cpu");
      BigDecimal cpuLim = sum(pod, "limits", "cpu");
      BigDecimal memReq = sum(pod, "requests", "memory");
      BigDecimal memLim = sum(pod, "limits", "memory");
      totals[0] = totals[0].add(cpuReq);
      totals[1] = totals[1].add(cpuLim);
      totals[2] = totals[2].add(memReq);
      totals[3] = totals[3].add(memLim);
      totals[4] = totals[4].add(sum(pod, "requests", "ephemeral-storage"));
      totals[5] = totals[5].add(sum(pod, "limits", "ephemeral-storage"));
      String created = pod.path("metadata").path("creationTimestamp").asText("");
      w.write(
          1,
          pod.path("metadata").path("namespace").asText()
              + "\t"
              + pod.path("metadata").path("name").asText()
              + "\t\t"
              + withFraction(cpuReq, allocatable, "cpu", true)
              + "\t"
              + withFraction(cpuLim, allocatable, "cpu", true)
              + "\t"
              + withFraction(memReq, allocatable, "memory", false)
              + "\t"
              + withFraction(memLim, allocatable, "memory", false)
              + "\t"
              + (created.isEmpty()
                  ? "<unknown>"
                  : HumanDuration.format(Duration.between(Instant.parse(created), now)))
              + "\n");
    }
    w.write(
        0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
    w.write(1, "Resource\tRequests\tLimits\n");
    w.write(1, "--------\t--------\t------\n");
    w.write(
        1,
        "cpu\t"
            + withFraction(totals[0], allocatable, "cpu", true)
            + "\t"
            + withFraction(totals[1], allocatable, "cpu", true)
            + "\n");
    w.write(
        1,
        "memory\t"
            + withFraction(totals[2], allocatable, "memory", false)
            + "\t"
            + withFraction(totals[3], allocatable, "memory", false)
            + "\n");
    w.write(
        1,
        "ephemeral-storage\t"
            + withFraction(totals[4], allocatable, "ephemeral-storage", false)
            + "\t"
            + withFraction(totals[5], allocatable, "ephemeral-storage", false)
            + "\n");
  }

  /** {@code 100m (5%)}: a total and its share of the allocatable amount, truncated as Go does. */
  private static String withFraction(
      BigDecimal value, JsonNode allocatable, String resource, boolean cpu) {
    BigDecimal of = Quantities.parse(allocatable.path(resource).asText("0"));
    long percent =
        of.signum() == 0
            ? 0
            : value
                .multiply(BigDecimal.valueOf(100))
                .divide(of, 6, java.math.RoundingMode.DOWN)
                .longValue();
    return Quantities.format(value, cpu) + " (" + percent + "%)";
  }

  private static BigDecimal sum(JsonNode pod, String kind, String resource) {
    BigDecimal total = BigDecimal.ZERO;
    for (JsonNode c : pod.path("spec").path("containers")) {
      total =
          total.add(Quantities.parse(c.path("resources").path(kind).path(resource).asText("0")));
    }
    return total;
  }

  private static void resourceList(DescribeWriter w, String title, JsonNode list) {
    if (list.isEmpty()) {
      return;
    }
    w.write(0, title + ":\n");
    List<String> names = new ArrayList<>();
    list.fieldNames().forEachRemaining(names::add);
    names.sort(null);
    names.forEach(n -> w.write(1, n + ":\t" + list.path(n).asText() + "\n"));
  }

  private static void taints(DescribeWriter w, JsonNode taints) {
    w.write(0, "Taints:\t");
    if (taints.isEmpty()) {
      w.line("<none>");
      return;
    }
    List<JsonNode> sorted = new ArrayList<>();
    taints.forEach(sorted::add);
    sorted.sort(
        (a, b) ->
            (a.path("effect").asText() + "," + a.path("key").asText())
                .compareTo(b.path("effect").asText() + "," + b.path("key").asText()));
    for (int i = 0; i < sorted.size(); i++) {
      JsonNode t = sorted.get(i);
      if (i != 0) {
        w.write(0, "\t");
      }
      String value = t.path("value").asText("");
      w.write(
          0,
          t.path("key").asText()
              + (value.isEmpty() ? "" : "=" + value)
              + ":"
              + t.path("effect").asText()
              + "\n");
    }
  }

  /**
   * {@code findNodeRoles}: {@code node-role.kubernetes.io/<role>} and {@code kubernetes.io/role}.
   */
  private static List<String> roles(JsonNode labels) {
    java.util.TreeSet<String> roles = new java.util.TreeSet<>();
    labels
        .fields()
        .forEachRemaining(
            e -> {
              String key = e.getKey();
              if (key.startsWith("node-role.kubernetes.io/")) {
                String role = key.substring("node-role.kubernetes.io/".length());
                if (!role.isEmpty()) {
                  roles.add(role);
                }
              } else if (key.equals("kubernetes.io/role") && !e.getValue().asText().isEmpty()) {
                roles.add(e.getValue().asText());
              }
            });
    return new ArrayList<>(roles);
  }
}
