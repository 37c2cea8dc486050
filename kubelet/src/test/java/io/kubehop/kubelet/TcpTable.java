package io.kubehop.kubelet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine's TCP sockets as {@code /proc/net/tcp} lists them (what {@code lsof} would show): which connections
 * touch a port, in which state. Sockets in LISTEN, TIME_WAIT or CLOSE belong to nobody any more and are left out.
 */
final class TcpTable {

  private TcpTable() {
  }

  /** {@code local->remote state} of every live connection with {@code port} at either end. */
  static List<String> connections(int port) {
    List<String> out = new ArrayList<>();
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of(file));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        String state = f[3];
        if (state.equals("0A") || state.equals("06") || state.equals("07")) {
          continue;
        }
        int local = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
        int remote = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
        if (local == port || remote == port) {
          out.add(local + "->" + remote + " " + state);
        }
      }
    }
    return out;
  }
}
