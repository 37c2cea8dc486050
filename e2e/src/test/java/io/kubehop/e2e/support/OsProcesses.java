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

  /** Descendants of {@code ancestor} whose command line equals {@code commandLine}. */
  public static List<ProcessHandle> descendantsRunning(long ancestor, String commandLine) {
    return ProcessHandle.of(ancestor).stream()
        .flatMap(ProcessHandle::descendants)
        .filter(p -> commandLine(p.pid()).map(commandLine::equals).orElse(false))
        .toList();
  }

  /** Every process on the machine whose command line equals {@code commandLine}. */
  public static List<ProcessHandle> running(String commandLine) {
    return ProcessHandle.allProcesses()
        .filter(p -> commandLine(p.pid()).map(commandLine::equals).orElse(false))
        .toList();
  }
}
