package io.kubehop.e2e.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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
   * Descendants of {@code ancestor} running {@code commandLine}; argv[0] may be the resolved path, as a container
   * runtime execs it ({@code sleep 3600} matches {@code /usr/bin/sleep 3600}).
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

  /** Entries of {@code /proc/<pid>/<what>}: {@code fd} counts open descriptors, {@code task} threads; -1 if gone. */
  public static long count(long pid, String what) {
    try (var entries = java.nio.file.Files.list(java.nio.file.Path.of("/proc", Long.toString(pid), what))) {
      return entries.count();
    } catch (java.io.IOException e) {
      return -1;
    }
  }
}
