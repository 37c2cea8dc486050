package io.kubehop.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.Times;
import io.kubehop.api.util.HumanDuration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pod columns of upstream's {@code printPod} ({@code
 * pkg/printers/internalversion/printers.go}).
 */
public final class PodTable implements TableConvertor {

  private static final List<Column> COLUMNS =
      List.of(
          Column.of("Name", 0),
          Column.of("Ready", 0),
          Column.of("Status", 0),
          Column.of("Restarts", 0),
          Column.of("Age", 0),
          Column.of("IP", 1),
          Column.of("Node", 1),
          Column.of("Nominated Node", 1),
          Column.of("Readiness Gates", 1));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode pod, Instant now) {
    JsonNode spec = pod.path("spec");
    JsonNode status = pod.path("status");
    String phase = status.path("phase").asText("");
    String reason =
        status.path("reason").asText("").isEmpty() ? phase : status.path("reason").asText();
    for (JsonNode c : status.path("conditions")) {
      if (c.path("type").asText().equals("PodScheduled")
          && c.path("reason").asText().equals("SchedulingGated")) {
        reason = "SchedulingGated";
      }
    }
    Map<String, JsonNode> inits = new HashMap<>();
    int total = spec.path("containers").size();
    for (JsonNode c : spec.path("initContainers")) {
      inits.put(c.path("name").asText(), c);
      if (restartable(c)) {
        total++;
      }
    }
    int ready = 0;
    int restarts = 0;
    int restartableRestarts = 0;
    Instant lastRestart = null;
    Instant lastRestartableRestart = null;
    boolean initializing = false;
    JsonNode initStatuses = status.path("initContainerStatuses");
    for (int i = 0; i < initStatuses.size(); i++) {
      JsonNode cs = initStatuses.get(i);
      restarts += cs.path("restartCount").asInt();
      Instant finished = finishedAt(cs);
      lastRestart = later(lastRestart, finished);
      boolean isRestartable = restartable(inits.get(cs.path("name").asText()));
      if (isRestartable) {
        restartableRestarts += cs.path("restartCount").asInt();
        lastRestartableRestart = later(lastRestartableRestart, finished);
      }
      JsonNode term = cs.path("state").path("terminated");
      JsonNode waiting = cs.path("state").path("waiting");
      if (!term.isMissingNode() && term.path("exitCode").asInt() == 0) {
        continue;
      } else if (isRestartable && cs.path("started").asBoolean(false)) {
        if (cs.path("ready").asBoolean(false)) {
          ready++;
        }
        continue;
      } else if (!term.isMissingNode()) {
        reason =
            term.path("reason").asText("").isEmpty()
                ? (term.path("signal").asInt() != 0
                    ? "Init:Signal:" + term.path("signal").asInt()
                    : "Init:ExitCode:" + term.path("exitCode").asInt())
                : "Init:" + term.path("reason").asText();
      } else if (!waiting.path("reason").asText("").isEmpty()
          && !waiting.path("reason").asText().equals("PodInitializing")) {
        reason = "Init:" + waiting.path("reason").asText();
      } else {
        reason = "Init:" + i + "/" + spec.path("initContainers").size();
      }
      initializing = true;
      break;
    }
    if (!initializing || conditionTrue(status, "Initialized")) {
      restarts = restartableRestarts;
      lastRestart = lastRestartableRestart;
      boolean hasRunning = false;
      JsonNode statuses = status.path("containerStatuses");
      for (int i = statuses.size() - 1; i >= 0; i--) {
        JsonNode cs = statuses.get(i);
        restarts += cs.path("restartCount").asInt();
        lastRestart = later(lastRestart, finishedAt(cs));
        JsonNode waiting = cs.path("state").path("waiting");
        JsonNode term = cs.path("state").path("terminated");
        if (!waiting.path("reason").asText("").isEmpty()) {
          reason = waiting.path("reason").asText();
        } else if (!term.path("reason").asText("").isEmpty()) {
          reason = term.path("reason").asText();
        } else if (!term.isMissingNode()) {
          reason =
              term.path("signal").asInt() != 0
                  ? "Signal:" + term.path("signal").asInt()
                  : "ExitCode:" + term.path("exitCode").asInt();
        } else if (cs.path("ready").asBoolean(false) && cs.path("state").has("running")) {
          hasRunning = true;
          ready++;
        }
      }
      if (reason.equals("Completed") && hasRunning) {
        reason = conditionTrue(status, "Ready") ? "Running" : "NotReady";
      }
    }
    boolean deleting = pod.path("metadata").hasNonNull("deletionTimestamp");
    if (deleting && status.path("reason").asText("").equals("NodeLost")) {
      reason = "Unknown";
    } else if (deleting && !phase.equals("Succeeded") && !phase.equals("Failed")) {
      reason = "Terminating";
    }
    String restartsText = Integer.toString(restarts);
    if (restarts != 0 && lastRestart != null) {
      restartsText =
          restarts + " (" + HumanDuration.format(Duration.between(lastRestart, now)) + " ago)";
    }
    List<Object> cells = new ArrayList<>();
    cells.add(pod.path("metadata").path("name").asText());
    cells.add(ready + "/" + total);
    cells.add(reason);
    cells.add(restartsText);
    cells.add(TableBuilder.age(pod, now));
    cells.add(orNone(podIp(status)));
    cells.add(orNone(spec.path("nodeName").asText("")));
    cells.add(orNone(status.path("nominatedNodeName").asText("")));
    cells.add(readinessGates(spec, status));
    return cells;
  }

  private static String podIp(JsonNode status) {
    String ip = status.path("podIPs").path(0).path("ip").asText("");
    return ip.isEmpty() ? status.path("podIP").asText("") : ip;
  }

  private static String readinessGates(JsonNode spec, JsonNode status) {
    JsonNode gates = spec.path("readinessGates");
    if (gates.isEmpty()) {
      return "<none>";
    }
    int trueCount = 0;
    for (JsonNode g : gates) {
      if (conditionTrue(status, g.path("conditionType").asText())) {
        trueCount++;
      }
    }
    return trueCount + "/" + gates.size();
  }

  private static boolean restartable(JsonNode init) {
    return init != null && init.path("restartPolicy").asText("").equals("Always");
  }

  private static boolean conditionTrue(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (c.path("type").asText().equals(type) && c.path("status").asText().equals("True")) {
        return true;
      }
    }
    return false;
  }

  private static Instant finishedAt(JsonNode cs) {
    String t = cs.path("lastState").path("terminated").path("finishedAt").asText("");
    return t.isEmpty() ? null : Times.parse(t);
  }

  private static Instant later(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b != null && b.isAfter(a) ? b : a;
  }

  private static String orNone(String s) {
    return s.isEmpty() ? "<none>" : s;
  }

  @Override
  public ArrayNode conditions(ObjectNode pod) {
    String phase = pod.path("status").path("phase").asText("");
    if (!phase.equals("Succeeded") && !phase.equals("Failed")) {
      return null;
    }
    ArrayNode a = ApiJson.mapper().createArrayNode();
    a.addObject()
        .put("type", "Completed")
        .put("status", "True")
        .put("reason", phase)
        .put(
            "message",
            phase.equals("Succeeded") ? "The pod has completed successfully." : "The pod failed.");
    return a;
  }
}
