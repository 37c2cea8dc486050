package io.kubehop.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.client.printers.GoJson;
import io.kubehop.client.trace.ChainPrinter;
import io.kubehop.client.trace.FramePrinter;
import io.kubehop.client.trace.TierFrames;
import io.kubehop.client.trace.TierSessions;
import io.kubehop.streaming.inspect.SessionChains;
import io.kubehop.streaming.inspect.SessionView;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kubehop trace [--watch] [--all] [-o wide|json] [SESSION]}: who holds each streaming
 * session, from every tier's {@code /debug/sessions}, as one chain of sockets per session. With
 * {@code --frames SESSION}: what crossed them, from every tier's {@code /debug/frames}.
 */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description =
        "Show who holds each streaming session: every socket of every tier (every apiserver,"
            + " kubelets, runtimes), one chain per session, with the apiserver that holds it and the"
            + " process at its end.",
    customSynopsis = {
      "  kubehop trace [--watch] [--all] [-o wide|json] [SESSION] [options]",
      "  kubehop trace --frames [--watch] [-o json] SESSION [options]"
    },
    footer = {
      "  # The open sessions, one chain each",
      "  kubehop trace",
      "",
      "  # One session, also after it closed, in the documented JSON schema",
      "  kubehop trace --all -o json 9c285ae7001a827d",
      "",
      "  # Follow the sessions as they open and close",
      "  kubehop trace --watch",
      "",
      "  # Every frame of one session, from every tier, in time order (tiers started with",
      "  # --trace-frames, e.g. kubehop up --trace-frames); --watch follows new ones",
      "  kubehop trace --frames --watch 9c285ae7001a827d"
    })
final class TraceCommand extends ApiCommand {

  /** How often {@code --watch} asks the tiers again. */
  private static final long WATCH_PERIOD_MILLIS = 1000;

  @Option(
      names = {"-w", "--watch"},
      description = "After the first listing, print the sessions again whenever they change.")
  boolean watch;

  @Option(
      names = "--frames",
      description =
          "Print the frames the tiers traced of SESSION (--trace-frames), merged in time order.")
  boolean frames;

  @Option(
      names = "--all",
      description = "Include the sessions that closed (each tier remembers its last 200).")
  boolean all;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "Output format. One of: (wide, json).")
  String output;

  @Parameters(
      arity = "0..1",
      paramLabel = "SESSION",
      description = "Only this session (its id, or the start of it).")
  String session;

  @Override
  int run(Session s) throws Exception {
    if (output != null && !output.equals("wide") && !output.equals("json")) {
      throw new CommandException(
          "unable to match a printer suitable for the output format \""
              + output
              + "\", allowed formats are: json,wide");
    }
    if (frames) {
      return frames(s);
    }
    try (TierSessions tiers = new TierSessions(s.client(), s.err())) {
      return sessions(s, tiers);
    }
  }

  private int sessions(Session s, TierSessions tiers) throws Exception {
    String last = null;
    while (true) {
      List<SessionView> sessions =
          SessionChains.merge(tiers.collect()).stream()
              .filter(v -> all || session != null || "open".equals(v.state()))
              .filter(v -> session == null || v.id().startsWith(session))
              .toList();
      String text = render(sessions);
      if (!text.equals(last)) {
        if (last != null) {
          s.out().println();
        }
        s.out().print(text);
        s.out().flush();
        last = text;
      }
      if (!watch) {
        if (session != null && sessions.isEmpty()) {
          throw new CommandException("no session " + session);
        }
        return 0;
      }
      Thread.sleep(WATCH_PERIOD_MILLIS); // the tiers are polled: they push nothing
    }
  }

  /** {@code --frames}: the session's frames from every tier, then (with --watch) the new ones. */
  private int frames(Session s) throws Exception {
    if (session == null) {
      throw new CommandException("--frames needs a SESSION: kubehop trace --frames SESSION");
    }
    if (output != null && !output.equals("json")) {
      throw new CommandException("--frames prints lines, or JSON lines with -o json");
    }
    TierFrames tiers = new TierFrames(s.client(), s.err(), session);
    FramePrinter printer = new FramePrinter(s.out());
    boolean any = false;
    while (true) {
      for (JsonNode event : tiers.poll()) {
        any = true;
        if ("json".equals(output)) {
          s.out().println(ApiJson.write(event));
        } else {
          printer.print(event);
        }
      }
      s.out().flush();
      if (!watch) {
        if (!any) {
          throw new CommandException("no frames of session " + session);
        }
        return 0;
      }
      Thread.sleep(WATCH_PERIOD_MILLIS); // the tiers are polled: they push nothing
    }
  }

  private String render(List<SessionView> sessions) {
    if ("json".equals(output)) {
      return GoJson.indent(ApiJson.toTree(Map.of("sessions", sessions))) + "\n";
    }
    if (sessions.isEmpty()) {
      return all ? "No streaming sessions.\n" : "No open streaming sessions.\n";
    }
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    ChainPrinter printer =
        new ChainPrinter(
            new PrintStream(buffer, true, StandardCharsets.UTF_8), "wide".equals(output));
    sessions.forEach(printer::print);
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
