package io.kubehop.kubelet.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine facts a Node reports, read once at start: processors, memory (from {@code
 * /proc/meminfo}, in Ki), OS and architecture in Go's spelling.
 *
 * @param cpus available processors
 * @param memoryKi MemTotal in KiB (0 if unknown)
 * @param os {@code linux}
 * @param arch {@code amd64}, {@code arm64}, …
 * @param kernelVersion {@code os.version}
 */
public record NodeInfo(int cpus, long memoryKi, String os, String arch, String kernelVersion) {

  public static final int MAX_PODS = 110;

  /** Reads the facts; blocking, call from a worker or before the event loop starts. */
  public static NodeInfo read() {
    return new NodeInfo(
        Runtime.getRuntime().availableProcessors(),
        memTotalKi(Path.of("/proc/meminfo")),
        System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT),
        goArch(System.getProperty("os.arch", "")),
        System.getProperty("os.version", ""));
  }

  static long memTotalKi(Path meminfo) {
    try {
      for (String line : Files.readAllLines(meminfo)) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or unreadable: report no memory rather than fail
    }
    return 0;
  }

  static String goArch(String javaArch) {
    return switch (javaArch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64" -> "arm64";
      case "x86", "i386" -> "386";
      default -> javaArch;
    };
  }
}
