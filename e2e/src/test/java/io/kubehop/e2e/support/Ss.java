package io.kubehop.e2e.support;

import io.kubehop.testkit.Commands;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.Tools;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the kernel counted on each TCP socket of this machine ({@code ss -tinH}). */
public final class Ss {

  private static final Pattern COUNT =
      Pattern.compile("\\b(bytes_received|bytes_sent|bytes_retrans):(\\d+)");

  private Ss() {
    throw new AssertionError("No instances.");
  }

  /**
   * Bytes received, and sent once each ({@code ss} leaves out a zero count), and bytes still
   * queued: received but not read by the process, or sent but not acknowledged yet. The kernel's
   * {@code bytes_sent} counts a retransmitted byte again, and a loaded machine retransmits on
   * loopback too (tail-loss probes when an ACK is late: tens of thousands a day here), so {@code
   * sent} is it less {@code bytes_retrans}: what the process wrote.
   */
  public record Counts(long received, long sent, long queued) {}

  /**
   * {@code 127.0.0.1:6443} for the IPv4-mapped {@code [::ffff:127.0.0.1]:6443} of a dual-stack
   * socket, as lsof and the tiers name it.
   */
  static String ipv4(String address) {
    return address.startsWith("[::ffff:") ? address.substring(8).replace("]:", ":") : address;
  }

  /**
   * Every ESTABLISHED TCP socket, keyed {@code local->remote} as {@link Lsof} names them, with the
   * bytes the kernel received and sent on it.
   */
  public static Map<String, Counts> established() {
    ProcessResult result =
        Commands.run(
            List.of(Tools.onPath("ss").toString(), "-tinH", "state", "established"),
            Map.of(),
            null,
            Duration.ofSeconds(20));
    Map<String, Counts> out = new HashMap<>();
    String socket = null;
    long queued = 0;
    for (String line : result.stdout().lines().toList()) {
      if (!line.startsWith("\t") && !line.startsWith(" ")) {
        String[] f = line.trim().split("\\s+");
        socket = ipv4(f[f.length - 2]) + "->" + ipv4(f[f.length - 1]);
        queued = Long.parseLong(f[0]) + Long.parseLong(f[1]);
        out.put(socket, new Counts(0, 0, queued));
      } else if (socket != null) {
        long received = 0;
        long sent = 0;
        long retransmitted = 0;
        Matcher m = COUNT.matcher(line);
        while (m.find()) {
          long n = Long.parseLong(m.group(2));
          switch (m.group(1)) {
            case "bytes_received" -> received = n;
            case "bytes_sent" -> sent = n;
            default -> retransmitted = n;
          }
        }
        out.put(socket, new Counts(received, sent - retransmitted, queued));
      }
    }
    return out;
  }
}
