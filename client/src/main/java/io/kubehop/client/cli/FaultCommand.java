package io.kubehop.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.api.meta.StatusException;
import io.kubehop.client.printers.GoJson;
import io.kubehop.client.printers.TabWriter;
import io.kubehop.client.rest.MediaTypes;
import io.kubehop.client.rest.Query;
import io.kubehop.streaming.fault.DebugFaults;
import io.kubehop.streaming.fault.Fault;
import io.kubehop.streaming.fault.FaultRule;
import io.kubehop.streaming.fault.Hop;
import io.kubehop.streaming.fault.Units;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kubehop fault add|list|clear}: the faults the tiers inject on the hops of streaming
 * sessions, through each tier's {@code /debug/faults}: the apiserver's for {@code client-apiserver}
 * and {@code apiserver-kubelet}, every kubelet's (through the node proxy) for {@code
 * kubelet-runtime}.
 */
@Command(
    name = "fault",
    mixinStandardHelpOptions = true,
    description =
        "Inject faults on a hop of the streaming sessions (client-apiserver, apiserver-kubelet,"
            + " kubelet-runtime), for all sessions or one: latency, a bandwidth cap, a stall, a"
            + " reset, an idle cut, a slow reader. Active faults show in kubehop trace and in the"
            + " tiers' metrics.",
    customSynopsis = {
      "  kubehop fault add --hop HOP [--session ID] [--node NODE] FAULT... [options]",
      "  kubehop fault list [-o json] [options]",
      "  kubehop fault clear [--hop HOP] [--id ID] [options]"
    },
    footer = {
      "  # Cap every session's apiserver-kubelet hop at 1 MiB/s each way",
      "  kubehop fault add --hop apiserver-kubelet --bandwidth 1MiB",
      "",
      "  # Reset one session's client connection after 1 MiB (TCP RST)",
      "  kubehop fault add --hop client-apiserver --session 9c285ae7001a827d --reset-after-bytes 1MiB",
      "",
      "  # Cut kubelet-runtime connections idle for 60 s, as a load balancer does",
      "  kubehop fault add --hop kubelet-runtime --idle-cut 60s",
      "",
      "  # What is injected, and where",
      "  kubehop fault list",
      "",
      "  # Remove every fault (or those of one hop)",
      "  kubehop fault clear"
    })
final class FaultCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "ACTION", description = "add, list or clear.")
  String action;

  @Option(
      names = "--hop",
      paramLabel = "HOP",
      description = "The hop: client-apiserver, apiserver-kubelet or kubelet-runtime.")
  String hop;

  @Option(
      names = "--session",
      paramLabel = "ID",
      description = "Only this session (its id, as kubehop trace shows it); default all sessions.")
  String session;

  @Option(
      names = "--node",
      paramLabel = "NODE",
      description = "For kubelet-runtime: only this node's kubelet; default every node.")
  String node;

  @Option(
      names = "--latency",
      paramLabel = "DURATION",
      description = "Delay every byte, each way, by DURATION (e.g. 200ms).")
  String latency;

  @Option(
      names = "--bandwidth",
      paramLabel = "SIZE",
      description = "Cap each way at SIZE per second (e.g. 1MiB).")
  String bandwidth;

  @Option(names = "--stall", description = "Move no byte either way; the sockets stay open.")
  boolean stall;

  @Option(
      names = "--reset-after-bytes",
      paramLabel = "SIZE",
      description = "Reset (TCP RST) each socket once SIZE crossed it (e.g. 1MiB).")
  String resetAfterBytes;

  @Option(
      names = "--reset-after",
      paramLabel = "DURATION",
      description = "Reset (TCP RST) each socket DURATION after the fault met it (e.g. 5s).")
  String resetAfter;

  @Option(
      names = "--idle-cut",
      paramLabel = "DURATION",
      description = "Close each socket idle for DURATION, as a load balancer does (e.g. 60s).")
  String idleCut;

  @Option(
      names = "--slow-reader",
      paramLabel = "SIZE",
      description =
          "The hop's client-side end reads what comes from the backend at SIZE per second"
              + " (e.g. 10KiB).")
  String slowReader;

  @Option(
      names = "--id",
      paramLabel = "ID",
      description =
          "For clear: only the fault with this id (as kubehop fault list shows it; with --hop,"
              + " only on the tiers of that hop).")
  String id;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "For list: output format. One of: (json).")
  String output;

  @Override
  int run(Session s) throws Exception {
    return switch (action) {
      case "add" -> add(s);
      case "list" -> list(s);
      case "clear" -> clear(s);
      default ->
          throw new CommandException(
              "unknown action \"" + action + "\": kubehop fault add|list|clear");
    };
  }

  private int add(Session s) throws IOException {
    if (hop == null) {
      throw new CommandException("kubehop fault add needs --hop HOP");
    }
    Hop h = parse(() -> Hop.parse(hop));
    List<Fault> faults = faults();
    if (faults.isEmpty()) {
      throw new CommandException(
          "kubehop fault add needs a fault: --latency, --bandwidth, --stall, --reset-after-bytes,"
              + " --reset-after, --idle-cut or --slow-reader");
    }
    if (node != null && h != Hop.KUBELET_RUNTIME) {
      throw new CommandException("--node is for the kubelet-runtime hop only");
    }
    for (Fault f : faults) {
      FaultRule request = new FaultRule("", h, Optional.ofNullable(session), f, Instant.now());
      byte[] body = request.requestJson().encode().getBytes(StandardCharsets.UTF_8);
      for (Tier tier : tiers(s, h)) {
        JsonNode added = s.client().send("POST", tier.path(), Query.of(), MediaTypes.JSON, body);
        s.out()
            .println(
                "fault "
                    + added.path("id").asText()
                    + " added on the "
                    + tier.name()
                    + ": "
                    + request.describe());
      }
    }
    return 0;
  }

  private List<Fault> faults() {
    List<Fault> faults = new ArrayList<>();
    if (latency != null) {
      faults.add(parse(() -> new Fault.Latency(Units.duration(latency))));
    }
    if (bandwidth != null) {
      faults.add(parse(() -> new Fault.Bandwidth(Units.bytes(bandwidth))));
    }
    if (stall) {
      faults.add(new Fault.Stall());
    }
    if (resetAfterBytes != null) {
      faults.add(parse(() -> Fault.Reset.afterBytes(Units.bytes(resetAfterBytes))));
    }
    if (resetAfter != null) {
      faults.add(parse(() -> Fault.Reset.afterTime(Units.duration(resetAfter))));
    }
    if (idleCut != null) {
      faults.add(parse(() -> new Fault.IdleCut(Units.duration(idleCut))));
    }
    if (slowReader != null) {
      faults.add(parse(() -> new Fault.SlowReader(Units.bytes(slowReader))));
    }
    return faults;
  }

  private int list(Session s) throws IOException {
    if (output != null && !output.equals("json")) {
      throw new CommandException(
          "unable to match a printer suitable for the output format \""
              + output
              + "\", allowed formats are: json");
    }
    List<Map<String, Object>> tiers = new ArrayList<>();
    List<String[]> rows = new ArrayList<>();
    for (Tier tier : tiers(s, null)) {
      JsonNode answer = tier.ask(s, "GET", null);
      if (answer == null) {
        continue;
      }
      tiers.add(Map.of("tier", tier.name(), "faults", answer.path("faults")));
      for (JsonNode f : answer.path("faults")) {
        FaultRule rule = FaultRule.fromJson(new JsonObject(ApiJson.write(f)));
        rows.add(
            new String[] {
              tier.name(),
              rule.id(),
              rule.hop().label(),
              rule.session().orElse("*"),
              rule.fault().describe(),
              age(rule.added())
            });
      }
    }
    if ("json".equals(output)) {
      s.out().println(GoJson.indent(ApiJson.toTree(Map.of("tiers", tiers))));
      return 0;
    }
    if (rows.isEmpty()) {
      s.out().println("No faults.");
      return 0;
    }
    TabWriter table = new TabWriter(s.out());
    table.write("TIER\tID\tHOP\tSESSION\tFAULT\tAGE\n");
    rows.forEach(r -> table.write(String.join("\t", r) + "\n"));
    table.flush();
    return 0;
  }

  private int clear(Session s) throws IOException {
    Hop h = hop == null ? null : parse(() -> Hop.parse(hop));
    Query query = Query.of().addIfPresent("hop", hop).addIfPresent("id", id);
    int removed = 0;
    for (Tier tier : tiers(s, h)) {
      JsonNode answer = tier.ask(s, "DELETE", query);
      if (answer != null) {
        removed += answer.path("removed").asInt();
      }
    }
    s.out().println(removed == 1 ? "1 fault removed" : removed + " faults removed");
    return 0;
  }

  /** A tier's {@code /debug/faults}, and what to call it. */
  private record Tier(String name, String path) {
    /** Its answer; a kubelet that cannot be asked is named on stderr and skipped (null). */
    JsonNode ask(Session s, String method, Query query) throws IOException {
      Query q = query == null ? Query.of() : query;
      if (name.equals("apiserver")) {
        return method.equals("GET")
            ? s.client().get(path, q, MediaTypes.JSON)
            : s.client().send(method, path, q, MediaTypes.JSON, null);
      }
      try {
        return method.equals("GET")
            ? s.client().get(path, q, MediaTypes.JSON)
            : s.client().send(method, path, q, MediaTypes.JSON, null);
      } catch (StatusException | IOException e) {
        s.err().println("kubehop fault: " + name + " (" + path + "): " + e.getMessage());
        return null;
      }
    }
  }

  /** The tiers that play {@code hop}, or every tier when it is null. */
  private List<Tier> tiers(Session s, Hop hop) throws IOException {
    List<Tier> tiers = new ArrayList<>();
    if (hop != Hop.KUBELET_RUNTIME) {
      tiers.add(new Tier("apiserver", DebugFaults.PATH));
    }
    if (hop == null || hop == Hop.KUBELET_RUNTIME) {
      for (JsonNode n :
          s.client().get("/api/v1/nodes", Query.of(), MediaTypes.JSON).path("items")) {
        String name = n.path("metadata").path("name").asText();
        if (node == null || node.equals(name)) {
          tiers.add(
              new Tier(
                  "kubelet " + name,
                  "/api/v1/nodes/" + Query.escapePath(name) + "/proxy" + DebugFaults.PATH));
        }
      }
      if (hop == Hop.KUBELET_RUNTIME && tiers.isEmpty()) {
        throw new CommandException(
            node == null ? "no nodes: no kubelet to inject on" : "no node " + node);
      }
    }
    return tiers;
  }

  private static String age(Instant added) {
    Duration d = Duration.between(added, Instant.now());
    long sec = Math.max(0, d.getSeconds());
    return sec < 120 ? sec + "s" : sec < 7200 ? sec / 60 + "m" : sec / 3600 + "h";
  }

  private static <T> T parse(java.util.function.Supplier<T> parser) {
    try {
      return parser.get();
    } catch (IllegalArgumentException e) {
      throw new CommandException(e.getMessage());
    }
  }
}
