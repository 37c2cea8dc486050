package io.kubehop.client.stream;

import io.kubehop.streaming.remotecommand.TerminalSize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jline.nativ.CLibrary;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;
import org.jline.utils.Signals;

/**
 * The CLI's own terminal for {@code -t}: raw mode exactly as kubectl sets it (moby/term {@code
 * MakeRaw}, i.e. {@code cfmakeraw}: no echo, no line buffering, no signals from Ctrl-C or Ctrl-\,
 * no output processing), its size, and SIGWINCH. {@link #restore()} puts back the settings found at
 * {@link #makeRaw()}; it is idempotent and also runs from a JVM shutdown hook, so the terminal
 * comes back on every way out: normal end, an error, and SIGTERM/SIGINT/SIGHUP sent to the CLI.
 *
 * <p>JLine's JNI provider (the FFM one needs Java 22) answers whether stdin is a terminal and the
 * size (isatty, ioctl TIOCGWINSZ: reads only); JLine's signal support delivers SIGWINCH. The
 * settings are read and written with stty(1), as JLine's exec provider does, not through JNI:
 * jline-native's {@code Termios} has no {@code c_line}, so its tcsetattr writes stack garbage there
 * ({@code stty -a} shows {@code line = 146} after the session). stty changes only what it is told,
 * and {@code stty -g} restores every setting.
 */
public final class LocalTerminal implements AutoCloseable {

  private static final long STTY_BOUND_SECONDS = 5;

  private String saved;
  private Thread restoreHook;

  private LocalTerminal() {}

  /**
   * The terminal on stdin, or empty when stdin is not a terminal (kubectl's {@code IsTerminalIn}).
   */
  public static Optional<LocalTerminal> onStdin() {
    try {
      return TerminalProvider.load("jni").isSystemStream(SystemStream.Input)
          ? Optional.of(new LocalTerminal())
          : Optional.empty();
    } catch (IOException | RuntimeException | LinkageError e) {
      return Optional.empty();
    }
  }

  public TerminalSize size() {
    CLibrary.WinSize size = new CLibrary.WinSize();
    CLibrary.ioctl(0, CLibrary.TIOCGWINSZ, size);
    return new TerminalSize(size.ws_col, size.ws_row);
  }

  /** Calls {@code listener} with the new size on each SIGWINCH. */
  public void onResize(Consumer<TerminalSize> listener) {
    Signals.register("WINCH", () -> listener.accept(size()));
  }

  /** Raw mode, remembering the settings to restore. */
  public synchronized void makeRaw() {
    if (saved != null) {
      return;
    }
    saved = stty("-g").trim();
    restoreHook = new Thread(this::restore, "kubehop-terminal-restore");
    Runtime.getRuntime().addShutdownHook(restoreHook);
    stty(RAW.toArray(String[]::new));
  }

  /** cfmakeraw(3) in stty's words: {@code raw} plus what cfmakeraw clears beyond it. */
  static final List<String> RAW =
      List.of("raw", "-echo", "-echonl", "-iexten", "cs8", "-parenb", "min", "1", "time", "0");

  /** Puts back the settings of {@link #makeRaw()}; safe to call more than once. */
  public synchronized void restore() {
    if (saved == null) {
      return;
    }
    stty(saved);
    saved = null;
    Thread hook = restoreHook;
    restoreHook = null;
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs or ran already; nothing to undo
      }
    }
  }

  /** Runs stty on the CLI's own stdin (the terminal); its output. */
  private static String stty(String... args) {
    List<String> command = new ArrayList<>(List.of("stty"));
    command.addAll(List.of(args));
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.INHERIT)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(STTY_BOUND_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("stty " + String.join(" ", args) + " failed");
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    restore();
  }
}
