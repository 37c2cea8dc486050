package io.kubehop.kubelet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine's TCP sockets as {@code /proc/net/tcp} lists them (what {@code lsof} would show):
 * which connections touch 127.0.0.1:port, in which state. Sockets in LISTEN, TIME_WAIT or CLOSE
 * belong to nobody any more and are left out. (The tests bind 127.0.0.1 only.)
 */
final class TcpTable {

  private TcpTable() {}

  /**
   * {@code local->remote state} of every live connection with {@code 127.0.0.1:port} at either end.
   */
  static List<String> connections(int port) {
    // How the tables write 127.0.0.1:port: plain in tcp, IPv4-mapped (::ffff:127.0.0.1) in tcp6,
    // where the JDK's
    // dual-stack sockets appear.
    String v4 = String.format("0100007F:%04X", port);
    String v6 = "0000000000000000FFFF0000" + v4;
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
        if (f[1].equals(v4) || f[2].equals(v4) || f[1].equals(v6) || f[2].equals(v6)) {
          out.add(f[1] + "->" + f[2] + " " + state);
        }
      }
    }
    return out;
  }
}
