package io.kubehop.runtime.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A container's processes, found through their session. Every main process starts as the leader of
 * a new session (the PTY launcher does this itself; the pipe launcher execs through {@code
 * setsid}), and its children stay in that session even after they are orphaned and reparented.
 * Killing the session therefore stands in for tearing down the container's PID namespace: nothing
 * the container started survives it.
 */
public final class ProcessSession {

  private static final Path SETSID = Path.of("/usr/bin/setsid");
  private static final Path PROC = Path.of("/proc");

  private ProcessSession() {}

  /**
   * The setsid program, when this host has it. It calls setsid() and then execs the command in the
   * same process (a child of the JVM is never a process group leader, so setsid does not need to
   * fork).
   */
  static Optional<Path> setsid() {
    return Files.isExecutable(SETSID) ? Optional.of(SETSID) : Optional.empty();
  }

  /** The live processes of session {@code sid}, read from /proc (empty where there is no /proc). */
  public static List<ProcessHandle> members(long sid) {
    List<ProcessHandle> members = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path entry : entries) {
        if (sessionOf(entry) == sid) {
          ProcessHandle.of(Long.parseLong(entry.getFileName().toString())).ifPresent(members::add);
        }
      }
    } catch (IOException e) {
      return members;
    }
    return members;
  }

  /** Sends SIGKILL to every process of the session, the leader included. */
  public static void kill(long sid) {
    members(sid).forEach(ProcessHandle::destroyForcibly);
  }

  /** Field 6 of /proc/PID/stat; the command name (field 2) may contain spaces and parentheses. */
  private static long sessionOf(Path procEntry) {
    try {
      String stat = Files.readString(procEntry.resolve("stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[3]);
    } catch (IOException | RuntimeException e) {
      return -1; // the process ended while we looked, or is not ours to read
    }
  }
}
