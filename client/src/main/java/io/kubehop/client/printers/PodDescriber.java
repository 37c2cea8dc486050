package io.kubehop.client.printers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * kubectl's {@code describePod} for the fields a pod has: the header (name, namespace, node, start
 * time, labels, annotations, status, IPs), each container with its state, ready flag and restart
 * count, the conditions, volumes, QoS class, node selectors, tolerations and events.
 */
public final class PodDescriber {

  private PodDescriber() {
    throw new AssertionError("No instances.");
  }

  public static void describe(JsonNode pod, JsonNode events, DescribeWriter w) {
    JsonNode meta = pod.path("metadata");
    JsonNode spec = pod.path("spec");
    JsonNode status = pod.path("status");
    w.write(0, "Name:\t" + meta.path("name").asText() + "\n");
    w.write(0, "Namespace:\t" + meta.path("namespace").asText() + "\n");
    if (spec.has("priority")) {
      w.write(0, "Priority:\t" + spec.path("priority").asLong() + "\n");
    }
    text(spec, "priorityClassName").ifPresent(v -> w.write(0, "Priority Class Name:\t" + v + "\n"));
    text(spec, "runtimeClassName").ifPresent(v -> w.write(0, "Runtime Class Name:\t" + v + "\n"));
    text(spec, "serviceAccountName").ifPresent(v -> w.write(0, "Service Account:\t" + v + "\n"));
    String node = spec.path("nodeName").asText("");
    w.write(
        0,
        "Node:\t"
            + (node.isEmpty() ? "<none>" : node + "/" + status.path("hostIP").asText(""))
            + "\n");
    if (status.has("startTime")) {
      w.write(0, "Start Time:\t" + DescribeWriter.time(status.path("startTime")) + "\n");
    }
    w.labels("Labels", meta.path("labels"));
    w.annotations("Annotations", meta.path("annotations"));
    String phase = status.path("phase").asText("");
    if (meta.has("deletionTimestamp") && !phase.equals("Failed") && !phase.equals("Succeeded")) {
      w.write(0, "Status:\tTerminating\n");
      w.write(
          0,
          "Termination Grace Period:\t" + meta.path("deletionGracePeriodSeconds").asLong() + "s\n");
    } else {
      w.write(0, "Status:\t" + phase + "\n");
    }
    text(status, "reason").ifPresent(v -> w.write(0, "Reason:\t" + v + "\n"));
    text(status, "message").ifPresent(v -> w.write(0, "Message:\t" + v + "\n"));
    w.write(0, "IP:\t" + status.path("podIP").asText("") + "\n");
    if (status.path("podIPs").isEmpty()) {
      w.write(0, "IPs:\t<none>\n");
    } else {
      w.write(0, "IPs:\n");
      status.path("podIPs").forEach(ip -> w.write(1, "IP:\t" + ip.path("ip").asText() + "\n"));
    }
    for (JsonNode owner : meta.path("ownerReferences")) {
      if (owner.path("controller").asBoolean(false)) {
        w.write(
            0,
            "Controlled By:\t"
                + owner.path("kind").asText()
                + "/"
                + owner.path("name").asText()
                + "\n");
      }
    }
    if (!spec.path("initContainers").isEmpty()) {
      containers(
          w, "Init Containers", spec.path("initContainers"), status.path("initContainerStatuses"));
    }
    containers(w, "Containers", spec.path("containers"), status.path("containerStatuses"));
    if (!spec.path("ephemeralContainers").isEmpty()) {
      containers(
          w,
          "Ephemeral Containers",
          spec.path("ephemeralContainers"),
          status.path("ephemeralContainerStatuses"));
    }
    if (!status.path("conditions").isEmpty()) {
      w.write(0, "Conditions:\n  Type\tStatus\n");
      for (JsonNode c : status.path("conditions")) {
        w.write(1, c.path("type").asText() + " \t" + c.path("status").asText() + " \n");
      }
    }
    volumes(w, spec.path("volumes"));
    String qos = status.path("qosClass").asText("");
    w.write(0, "QoS Class:\t" + (qos.isEmpty() ? qosClass(spec) : qos) + "\n");
    w.labels("Node-Selectors", spec.path("nodeSelector"));
    tolerations(w, spec.path("tolerations"));
    w.events(events, java.time.Instant.now());
  }

  private static void containers(
      DescribeWriter w, String label, JsonNode containers, JsonNode statuses) {
    Map<String, JsonNode> byName = new HashMap<>();
    statuses.forEach(s -> byName.put(s.path("name").asText(), s));
    w.write(0, label + ":" + (containers.isEmpty() ? " <none>" : "") + "\n");
    for (JsonNode c : containers) {
      JsonNode status = byName.get(c.path("name").asText());
      w.write(1, c.path("name").asText() + ":\n");
      if (status != null) {
        w.write(2, "Container ID:\t" + status.path("containerID").asText("") + "\n");
      }
      w.write(2, "Image:\t" + c.path("image").asText("") + "\n");
      if (status != null) {
        w.write(2, "Image ID:\t" + status.path("imageID").asText("") + "\n");
      }
      List<String> ports = new ArrayList<>();
      List<String> hostPorts = new ArrayList<>();
      for (JsonNode p : c.path("ports")) {
        String protocol = p.path("protocol").asText("TCP");
        ports.add(p.path("containerPort").asInt() + "/" + protocol);
        hostPorts.add(p.path("hostPort").asInt() + "/" + protocol);
      }
      portLine(w, "Port", ports);
      portLine(w, "Host Port", hostPorts);
      lines(w, "Command", c.path("command"));
      lines(w, "Args", c.path("args"));
      if (status != null) {
        state(w, "State", status.path("state"));
        if (status.path("lastState").has("terminated")) {
          state(w, "Last State", status.path("lastState"));
        }
        w.write(2, "Ready:\t" + (status.path("ready").asBoolean() ? "True" : "False") + "\n");
        w.write(2, "Restart Count:\t" + status.path("restartCount").asInt() + "\n");
      }
      resources(w, "Limits", c.path("resources").path("limits"));
      resources(w, "Requests", c.path("resources").path("requests"));
      environment(w, c.path("env"));
      mounts(w, c.path("volumeMounts"));
    }
  }

  private static void portLine(DescribeWriter w, String title, List<String> ports) {
    if (ports.size() > 1) {
      w.write(2, title + "s:\t" + String.join(", ", ports) + "\n");
    } else {
      w.write(2, title + ":\t" + (ports.isEmpty() ? "<none>" : ports.get(0)) + "\n");
    }
  }

  private static void lines(DescribeWriter w, String title, JsonNode values) {
    if (values.isEmpty()) {
      return;
    }
    w.write(2, title + ":\n");
    for (JsonNode v : values) {
      for (String s : v.asText().split("\n", -1)) {
        w.write(3, s + "\n");
      }
    }
  }

  /** {@code describeStatus}: one of running, waiting or terminated. */
  private static void state(DescribeWriter w, String name, JsonNode state) {
    if (state.has("running")) {
      w.write(2, name + ":\tRunning\n");
      w.write(
          3, "Started:\t" + DescribeWriter.time(state.path("running").path("startedAt")) + "\n");
    } else if (state.has("waiting")) {
      w.write(2, name + ":\tWaiting\n");
      text(state.path("waiting"), "reason").ifPresent(r -> w.write(3, "Reason:\t" + r + "\n"));
    } else if (state.has("terminated")) {
      JsonNode t = state.path("terminated");
      w.write(2, name + ":\tTerminated\n");
      text(t, "reason").ifPresent(r -> w.write(3, "Reason:\t" + r + "\n"));
      text(t, "message").ifPresent(m -> w.write(3, "Message:\t" + m + "\n"));
      w.write(3, "Exit Code:\t" + t.path("exitCode").asInt() + "\n");
      if (t.path("signal").asInt() > 0) {
        w.write(3, "Signal:\t" + t.path("signal").asInt() + "\n");
      }
      w.write(3, "Started:\t" + DescribeWriter.time(t.path("startedAt")) + "\n");
      w.write(3, "Finished:\t" + DescribeWriter.time(t.path("finishedAt")) + "\n");
    } else {
      w.write(2, name + ":\tWaiting\n");
    }
  }

  private static void resources(DescribeWriter w, String title, JsonNode list) {
    if (list.isEmpty()) {
      return;
    }
    w.write(2, title + ":\n");
    List<String> names = new ArrayList<>();
    list.fieldNames().forEachRemaining(names::add);
    names.sort(null);
    names.forEach(n -> w.write(3, n + ":\t" + list.path(n).asText() + "\n"));
  }

  private static void environment(DescribeWriter w, JsonNode env) {
    w.write(2, "Environment:" + (env.isEmpty() ? "\t<none>" : "") + "\n");
    for (JsonNode e : env) {
      if (!e.has("valueFrom")) {
        String[] values = e.path("value").asText("").split("\n", -1);
        for (int i = 0; i < values.length; i++) {
          w.write(3, (i == 0 ? e.path("name").asText() + ":" : "") + "\t" + values[i] + "\n");
        }
      } else {
        JsonNode from = e.path("valueFrom");
        String source =
            from.has("fieldRef")
                ? " ("
                    + from.path("fieldRef").path("apiVersion").asText()
                    + ":"
                    + from.path("fieldRef").path("fieldPath").asText()
                    + ")"
                : " (" + from.fieldNames().next() + ")";
        w.write(3, e.path("name").asText() + ":\t" + source + "\n");
      }
    }
  }

  private static void mounts(DescribeWriter w, JsonNode mounts) {
    w.write(2, "Mounts:" + (mounts.isEmpty() ? "\t<none>" : "") + "\n");
    List<JsonNode> sorted = new ArrayList<>();
    mounts.forEach(sorted::add);
    sorted.sort((a, b) -> a.path("mountPath").asText().compareTo(b.path("mountPath").asText()));
    for (JsonNode m : sorted) {
      String flags = m.path("readOnly").asBoolean(false) ? "ro" : "rw";
      if (!m.path("subPath").asText("").isEmpty()) {
        flags += ",path=\"" + m.path("subPath").asText() + "\"";
      }
      w.write(
          3,
          m.path("mountPath").asText() + " from " + m.path("name").asText() + " (" + flags + ")\n");
    }
  }

  private static void volumes(DescribeWriter w, JsonNode volumes) {
    if (volumes.isEmpty()) {
      w.write(0, "Volumes:\t<none>\n");
      return;
    }
    w.write(0, "Volumes:\n");
    for (JsonNode v : volumes) {
      w.write(1, v.path("name").asText() + ":\n");
      if (v.has("emptyDir")) {
        JsonNode e = v.path("emptyDir");
        String limit = e.path("sizeLimit").asText("");
        w.write(
            2,
            "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
                + "    Medium:\t"
                + e.path("medium").asText("")
                + "\n"
                + "    SizeLimit:\t"
                + (limit.isEmpty() ? "<unset>" : limit)
                + "\n");
      } else if (v.has("hostPath")) {
        JsonNode h = v.path("hostPath");
        w.write(
            2,
            "Type:\tHostPath (bare host directory volume)\n"
                + "    Path:\t"
                + h.path("path").asText("")
                + "\n"
                + "    HostPathType:\t"
                + h.path("type").asText("<none>")
                + "\n");
      } else {
        w.write(1, "<unknown>\n");
      }
    }
  }

  private static void tolerations(DescribeWriter w, JsonNode tolerations) {
    w.write(0, "Tolerations:\t");
    if (tolerations.isEmpty()) {
      w.line("<none>");
      return;
    }
    List<JsonNode> sorted = new ArrayList<>();
    tolerations.forEach(sorted::add);
    sorted.sort((a, b) -> a.path("key").asText("").compareTo(b.path("key").asText("")));
    for (int i = 0; i < sorted.size(); i++) {
      JsonNode t = sorted.get(i);
      if (i != 0) {
        w.write(0, "\t");
      }
      String key = t.path("key").asText("");
      String value = t.path("value").asText("");
      String effect = t.path("effect").asText("");
      StringBuilder s = new StringBuilder(key);
      if (!value.isEmpty()) {
        s.append('=').append(value);
      }
      if (!effect.isEmpty()) {
        s.append(':').append(effect);
      }
      if ("Exists".equals(t.path("operator").asText("")) && value.isEmpty()) {
        s.append(key.isEmpty() && effect.isEmpty() ? "op=Exists" : " op=Exists");
      }
      if (t.has("tolerationSeconds")) {
        s.append(" for ").append(t.path("tolerationSeconds").asLong()).append('s');
      }
      w.write(0, s + "\n");
    }
  }

  /** {@code qos.GetPodQOS}, simplified: no requests or limits anywhere is BestEffort. */
  private static String qosClass(JsonNode spec) {
    boolean any = false;
    boolean guaranteed = true;
    for (JsonNode c : spec.path("containers")) {
      JsonNode r = c.path("resources");
      any |= !r.path("requests").isEmpty() || !r.path("limits").isEmpty();
      for (String name : List.of("cpu", "memory")) {
        String limit = r.path("limits").path(name).asText("");
        String request = r.path("requests").path(name).asText(limit);
        guaranteed &= !limit.isEmpty() && limit.equals(request);
      }
    }
    return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
  }

  private static java.util.Optional<String> text(JsonNode node, String field) {
    String value = node.path(field).asText("");
    return value.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(value);
  }
}
