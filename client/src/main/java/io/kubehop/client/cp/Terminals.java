package io.kubehop.client.cp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Whether the process's stderr is a terminal, as {@code test -t 2} answers: {@code
 * System.console()} only says that stdin and stdout are. On Linux {@code /proc/self/fd/2} names the
 * device; elsewhere a {@code test -t 2} child that inherits stderr is asked.
 */
public final class Terminals {

  private Terminals() {}

  public static boolean stderrIsTerminal() {
    Path fd = Path.of("/proc/self/fd/2");
    if (Files.exists(Path.of("/proc/self/fd"))) {
      try {
        String device = Files.readSymbolicLink(fd).toString();
        return device.startsWith("/dev/pts/")
            || device.startsWith("/dev/tty")
            || device.equals("/dev/console");
      } catch (IOException | UnsupportedOperationException e) {
        return false;
      }
    }
    try {
      Process test =
          new ProcessBuilder("sh", "-c", "test -t 2")
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      return test.waitFor(2, TimeUnit.SECONDS) && test.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
