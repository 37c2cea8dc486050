package io.kubehop.e2e.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Real OS processes, read from /proc: what runs under which tier. */
public final class OsProcesses {

  private OsProcesses() {
    throw new AssertionError("No instances.");
  }

  /** The argv of a process, joined with spaces, or empty when it is gone. */
  public static Optional<String> commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return Optional.of(new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Descendants of {@code ancestor} running {@code commandLine}; argv[0] may be the resolved path,
   * as a container runtime execs it ({@code sleep 3600} matches {@code /usr/bin/sleep 3600}).
   */
  public static List<ProcessHandle> descendantsRunning(long ancestor, String commandLine) {
    return ProcessHandle.of(ancestor).stream()
        .flatMap(ProcessHandle::descendants)
        .filter(p -> commandLine(p.pid()).map(c -> matches(c, commandLine)).orElse(false))
        .toList();
  }

  private static boolean matches(String actual, String wanted) {
    return actual.equals(wanted) || actual.endsWith("/" + wanted) && !actual.contains(" " + wanted);
  }

  /**
   * Threads' names (their {@code comm}, at most 15 characters) that belong to pools with a fixed
   * bound: Vert.x's worker and event-loop pools and the JVM's compiler and GC threads, which start
   * on demand and stay (or come and go with load). They grow when the machine is busy, not when a
   * session leaks, so a leak check leaves them out.
   */
  private static final List<String> BOUNDED_POOLS =
      List.of(
          "vert.x-worker-t",
          "vert.x-eventloo",
          "vert.x-internal",
          "C1 CompilerThre",
          "C2 CompilerThre",
          "G1 ",
          "GC Thread",
          // The JDK's reapers of child processes: a cached pool, one thread per process running at
          // once, idle ones retiring after 60 s (a tier that runs processes, the runtime, keeps
          // one for a minute after each exec has ended). A process that leaks keeps its reaper,
          // and shows as itself.
          "process reaper");

  /**
   * Entries of {@code /proc/<pid>/<what>}: {@code fd} counts open descriptors, {@code task}
   * threads; -1 if gone.
   */
  public static long count(long pid, String what) {
    try (var entries = Files.list(Path.of("/proc", Long.toString(pid), what))) {
      return entries.count();
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Open descriptors of {@code pid} but its UDP sockets; -1 if gone. A streaming session holds
   * files, pipes, TCP and unix sockets, never UDP; a tier's UDP sockets are name lookups, which
   * come and go on their own (the runtime holds one for seconds after a port-forward has ended).
   */
  public static long descriptorsButUdp(long pid) {
    Set<String> udp = new HashSet<>();
    for (String table : List.of("udp", "udp6")) {
      try {
        List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table));
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
          String[] fields = line.trim().split("\\s+");
          if (fields.length > 9) {
            udp.add("socket:[" + fields[9] + "]");
          }
        }
      } catch (IOException e) {
        return -1;
      }
    }
    try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return fds.filter(
              fd -> {
                try {
                  return !udp.contains(Files.readSymbolicLink(fd).toString());
                } catch (IOException e) {
                  return false; // closed while being listed: it counts as nothing
                }
              })
          .count();
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * What {@code pid}'s descriptors are, for a failure message: each TCP socket as {@code tcp
   * LOCAL>REMOTE} (from {@code /proc/<pid>/net/tcp*}), anything else as its link ({@code pipe:[…]},
   * a file), sorted; empty if gone.
   */
  public static List<String> describeDescriptors(long pid) {
    Map<String, String> tcp = new HashMap<>();
    for (String table : List.of("tcp", "tcp6")) {
      try {
        List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table));
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
          String[] f = line.trim().split("\\s+");
          if (f.length > 9) {
            tcp.put("socket:[" + f[9] + "]", "tcp " + endpoint(f[1]) + ">" + endpoint(f[2]));
          }
        }
      } catch (IOException e) {
        return List.of();
      }
    }
    List<String> out = new ArrayList<>();
    try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      fds.forEach(
          fd -> {
            try {
              String link = Files.readSymbolicLink(fd).toString();
              out.add(tcp.getOrDefault(link, link));
            } catch (IOException e) {
              // closed while being listed
            }
          });
    } catch (IOException e) {
      return List.of();
    }
    Collections.sort(out);
    return out;
  }

  /** {@code 0100007F:1F90} (IPv4 as /proc shows it) as {@code 127.0.0.1:8080}; IPv6 as it is. */
  private static String endpoint(String hex) {
    String[] parts = hex.split(":");
    if (parts.length != 2 || parts[0].length() != 8) {
      return hex;
    }
    long a = Long.parseLong(parts[0], 16);
    return (a & 0xff)
        + "."
        + (a >> 8 & 0xff)
        + "."
        + (a >> 16 & 0xff)
        + "."
        + (a >> 24 & 0xff)
        + ":"
        + Integer.parseInt(parts[1], 16);
  }

  /**
   * Threads of {@code pid} outside the {@link #BOUNDED_POOLS}, what a leaking session would add to
   * (a reader thread per process, a timer per connection); -1 if the process is gone.
   */
  public static long unpooledThreads(long pid) {
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      return tasks
          .map(
              task -> {
                try {
                  return Files.readString(task.resolve("comm")).strip();
                } catch (IOException e) {
                  return ""; // the thread ended while being listed: it counts as nothing
                }
              })
          .filter(name -> !name.isEmpty() && BOUNDED_POOLS.stream().noneMatch(name::startsWith))
          .count();
    } catch (IOException e) {
      return -1;
    }
  }
}
