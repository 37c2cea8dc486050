package io.kubehop.e2e.support;

import io.kubehop.testkit.Commands;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.Tools;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The lsof experiment: which TCP connections a process holds, as {@code lsof -Pn} names them. */
public final class Lsof {

  private Lsof() {
    throw new AssertionError("No instances.");
  }

  /**
   * ESTABLISHED TCP connections of {@code pid}, each {@code local->remote}, e.g. {@code
   * 127.0.1.1:10250->127.0.0.1:4711}.
   */
  public static List<String> established(long pid) {
    ProcessResult result =
        Commands.run(
            List.of(
                Tools.onPath("lsof").toString(),
                "-Pn",
                "-a",
                "-p",
                Long.toString(pid),
                "-iTCP",
                "-sTCP:ESTABLISHED",
                "-F",
                "n"),
            Map.of(),
            null,
            Duration.ofSeconds(20));
    return result
        .stdout()
        .lines()
        .filter(l -> l.startsWith("n"))
        .map(l -> l.substring(1))
        .sorted()
        .toList();
  }

  /** TCP ports {@code pid} listens on. */
  public static List<Integer> listening(long pid) {
    ProcessResult result =
        Commands.run(
            List.of(
                Tools.onPath("lsof").toString(),
                "-Pn",
                "-a",
                "-p",
                Long.toString(pid),
                "-iTCP",
                "-sTCP:LISTEN",
                "-F",
                "n"),
            Map.of(),
            null,
            Duration.ofSeconds(20));
    return result
        .stdout()
        .lines()
        .filter(l -> l.startsWith("n"))
        .map(l -> Integer.parseInt(l.substring(l.lastIndexOf(':') + 1)))
        .sorted()
        .toList();
  }

  public static int localPort(String connection) {
    String local = connection.substring(0, connection.indexOf("->"));
    return Integer.parseInt(local.substring(local.lastIndexOf(':') + 1));
  }

  public static int remotePort(String connection) {
    return Integer.parseInt(connection.substring(connection.lastIndexOf(':') + 1));
  }
}
