package io.kubehop.client.trace;

import io.kubehop.streaming.inspect.HopView;
import io.kubehop.streaming.inspect.SessionView;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One session as a chain of connections, each printed once from the side that dialled it:
 *
 * <pre>
 * exec default/demo/main  sh  on apiserver-2  ws v5 -> spdy v5  12.4 MB down  idle 3s
 *   client    127.0.0.1:54012 -> apiserver 127.0.0.1:6443   websocket v5.channel.k8s.io
 *   apiserver 127.0.0.1:41822 -> kubelet   127.0.1.1:10250  spdy/3.1 v5.channel.k8s.io
 *   kubelet   127.0.0.1:38211 -> runtime   127.0.0.1:35677  spdy/3.1 v5.channel.k8s.io
 *   runtime   pid 4242 sh (tty)
 * </pre>
 *
 * {@code on apiserver-2} names the apiserver that holds the session (its {@code --apiserver-id}),
 * left out when no apiserver named itself. {@code wide} adds each connection's bytes and idle time
 * as its tier counted them.
 */
public final class ChainPrinter {

  /** Where each role sits along the path: a connection is drawn from the lower to the higher. */
  private static final Map<String, Integer> RANK =
      Map.of("client", 0, "apiserver", 1, "kubelet", 2, "runtime", 3, "pod", 4);

  private static final Pattern VERSION =
      Pattern.compile("(v\\d+)\\.(base64\\.)?channel\\.k8s\\.io");

  private final PrintStream out;
  private final boolean wide;

  public ChainPrinter(PrintStream out, boolean wide) {
    this.out = out;
    this.wide = wide;
  }

  public void print(SessionView s) {
    out.println(header(s));
    for (String line : lines(s)) {
      out.println("  " + line);
    }
  }

  static String header(SessionView s) {
    StringBuilder b = new StringBuilder();
    b.append(s.kind() == null ? "session" : s.kind()).append(' ');
    if (s.pod() != null) {
      b.append(s.namespace() == null ? "" : s.namespace() + "/").append(s.pod());
      if (s.container() != null) {
        b.append('/').append(s.container());
      }
    } else {
      b.append(s.id());
    }
    if (s.command() != null) {
      b.append("  ").append(String.join(" ", s.command()));
    }
    if (s.apiserver() != null) {
      b.append("  on ").append(s.apiserver());
    }
    List<String> wires = new ArrayList<>();
    for (HopView h : s.hops()) {
      String w = shortWire(h.protocol());
      if (!w.isEmpty() && (wires.isEmpty() || !wires.get(wires.size() - 1).equals(w))) {
        wires.add(w);
      }
    }
    if (!wires.isEmpty()) {
      b.append("  ").append(String.join(" -> ", wires));
    }
    HopView client = clientHop(s);
    if (client != null && client.bytesOut() != null) {
      b.append("  ").append(bytes(client.bytesOut())).append(" down");
    }
    if (!"open".equals(s.state())) {
      b.append("  closed");
      if (s.ended() != null && s.ended().first() != null) {
        b.append(" (").append(s.ended().first()).append(" first, ").append(s.ended().how());
        b.append(')');
      }
    } else if (client != null && client.idleSeconds() != null) {
      b.append("  idle ").append(client.idleSeconds()).append('s');
    }
    return b.toString();
  }

  List<String> lines(SessionView s) {
    List<String> lines = new ArrayList<>();
    HopView client = clientHop(s);
    if (client != null) {
      lines.add(line("client", client.remote(), client.tier(), client.local(), client, true));
    }
    for (HopView h : s.hops()) {
      Integer from = RANK.get(h.tier());
      Integer to = h.peer() == null ? null : RANK.get(h.peer());
      if (from == null || to == null || to <= from) {
        if (to == null && h.peer() == null) {
          lines.add(line("?", h.remote(), h.tier(), h.local(), h, true));
        }
        continue;
      }
      lines.add(line(h.tier(), h.local(), h.peer(), h.remote(), h, false));
    }
    if (s.process() != null) {
      StringBuilder p = new StringBuilder();
      p.append(String.format(Locale.ROOT, "%-9s pid %d", "runtime", s.process().pid()));
      if (s.process().argv() != null) {
        p.append(' ').append(String.join(" ", s.process().argv()));
      }
      if (s.process().tty()) {
        p.append(" (tty)");
      }
      lines.add(p.toString());
    }
    return lines;
  }

  private String line(
      String fromRole, String from, String toRole, String to, HopView h, boolean seenFromTo) {
    String text =
        String.format(
            Locale.ROOT,
            "%-9s %-21s -> %-9s %-21s %s",
            fromRole,
            from,
            toRole,
            to,
            (h.protocol() == null ? "" : h.protocol())
                + (Boolean.TRUE.equals(h.tls()) ? " over tls" : ""));
    if (h.faults() != null && !h.faults().isEmpty()) {
      // injected (kubehop fault): whoever reads the chain must not take them for the network's
      text += "  [fault: " + String.join(", ", h.faults()) + "]";
    }
    if (wide) {
      // bytes as the reporting tier counted them: what it read is what the other side sent
      Long sent = seenFromTo ? h.bytesIn() : h.bytesOut();
      Long received = seenFromTo ? h.bytesOut() : h.bytesIn();
      if (sent != null && received != null) {
        text += "  " + bytes(sent) + " up " + bytes(received) + " down";
      }
      if (h.idleSeconds() != null) {
        text += "  idle " + h.idleSeconds() + "s";
      }
    }
    return text.stripTrailing();
  }

  private static HopView clientHop(SessionView s) {
    return s.hops().stream().filter(h -> "client".equals(h.peer())).findFirst().orElse(null);
  }

  /** {@code ws v5}, {@code spdy v4}, {@code spdy pf}, {@code ws(spdy) pf}. */
  static String shortWire(String protocol) {
    if (protocol == null || protocol.isBlank()) {
      return "";
    }
    String p = protocol.toLowerCase(Locale.ROOT);
    if (p.startsWith("http")) {
      return p.contains(" log") ? "http log" : "http";
    }
    String transport =
        p.contains("tunnelled in websocket")
            ? "ws(spdy)"
            : p.startsWith("websocket") ? "ws" : p.startsWith("spdy") ? "spdy" : p.split(" ")[0];
    Matcher m = VERSION.matcher(p);
    String what = m.find() ? m.group(1) : p.contains("portforward") ? "pf" : "";
    return (transport + " " + what).strip();
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    if (n < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
    }
    if (n < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.1f GiB", n / (1024.0 * 1024 * 1024));
  }
}
