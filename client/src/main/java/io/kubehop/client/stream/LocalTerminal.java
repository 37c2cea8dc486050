package io.kubehop.client.stream;

import io.kubehop.streaming.remotecommand.TerminalSize;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.function.Consumer;
import org.jline.terminal.Attributes;
import org.jline.terminal.Attributes.ControlChar;
import org.jline.terminal.Attributes.ControlFlag;
import org.jline.terminal.Attributes.InputFlag;
import org.jline.terminal.Attributes.LocalFlag;
import org.jline.terminal.Attributes.OutputFlag;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;
import org.jline.utils.Signals;

/**
 * The CLI's own terminal for {@code -t}, through JLine's JNI provider (the FFM one needs Java 22):
 * raw mode exactly as kubectl sets it (moby/term {@code MakeRaw}, i.e. {@code cfmakeraw}: no echo,
 * no line buffering, no signals from Ctrl-C or Ctrl-\, no output processing), its size, and
 * SIGWINCH. {@link #restore()} puts back the attributes found at {@link #makeRaw()}; it is
 * idempotent and also runs from a JVM shutdown hook, so the terminal comes back on every way out:
 * normal end, an error, and SIGTERM/SIGINT/SIGHUP sent to the CLI from outside.
 */
public final class LocalTerminal implements AutoCloseable {

  private final Terminal terminal;
  private Attributes saved;
  private Thread restoreHook;

  private LocalTerminal(Terminal terminal) {
    this.terminal = terminal;
  }

  /**
   * The terminal on stdin, or empty when stdin is not a terminal (kubectl's {@code IsTerminalIn}).
   */
  public static Optional<LocalTerminal> onStdin() {
    try {
      TerminalProvider jni = TerminalProvider.load("jni");
      if (!jni.isSystemStream(SystemStream.Input)) {
        return Optional.empty();
      }
      Terminal terminal =
          TerminalBuilder.builder()
              .system(true)
              .provider("jni")
              .systemOutput(TerminalBuilder.SystemOutput.SysOutOrSysErr)
              // JLine would otherwise write mode-probe escapes onto the user's terminal.
              .graphemeCluster(false)
              // JLine's native signal handling would take over SIGINT and SIGQUIT too (SIG_DFL
              // there means the OS default, which ends the JVM without its shutdown hooks, so the
              // terminal would stay raw); only SIGWINCH is wanted, see onResize.
              .nativeSignals(false)
              .build();
      return Optional.of(new LocalTerminal(terminal));
    } catch (IOException | RuntimeException | LinkageError e) {
      return Optional.empty();
    }
  }

  public TerminalSize size() {
    Size size = terminal.getSize();
    return new TerminalSize(size.getColumns(), size.getRows());
  }

  /** Calls {@code listener} with the new size on each SIGWINCH. */
  public void onResize(Consumer<TerminalSize> listener) {
    Signals.register("WINCH", () -> listener.accept(size()));
  }

  /** Raw mode, remembering the attributes to restore. */
  public synchronized void makeRaw() {
    if (saved != null) {
      return;
    }
    saved = terminal.getAttributes();
    restoreHook = new Thread(this::restore, "kubehop-terminal-restore");
    Runtime.getRuntime().addShutdownHook(restoreHook);
    terminal.setAttributes(raw(saved));
  }

  /** cfmakeraw(3), as moby/term's MakeRaw (what kubectl uses). */
  static Attributes raw(Attributes from) {
    Attributes raw = new Attributes(from);
    raw.setInputFlags(
        EnumSet.of(
            InputFlag.IGNBRK,
            InputFlag.BRKINT,
            InputFlag.PARMRK,
            InputFlag.ISTRIP,
            InputFlag.INLCR,
            InputFlag.IGNCR,
            InputFlag.ICRNL,
            InputFlag.IXON),
        false);
    raw.setOutputFlag(OutputFlag.OPOST, false);
    raw.setLocalFlags(
        EnumSet.of(
            LocalFlag.ECHO, LocalFlag.ECHONL, LocalFlag.ICANON, LocalFlag.ISIG, LocalFlag.IEXTEN),
        false);
    // CSIZE is a mask in C; JLine names its values: clear them all, then set CS8.
    raw.setControlFlags(
        EnumSet.of(ControlFlag.CS5, ControlFlag.CS6, ControlFlag.CS7, ControlFlag.PARENB), false);
    raw.setControlFlag(ControlFlag.CS8, true);
    raw.setControlChar(ControlChar.VMIN, 1);
    raw.setControlChar(ControlChar.VTIME, 0);
    return raw;
  }

  /** Puts back the attributes of {@link #makeRaw()}; safe to call more than once. */
  public synchronized void restore() {
    if (saved == null) {
      return;
    }
    terminal.setAttributes(saved);
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

  @Override
  public void close() {
    restore();
    try {
      terminal.close();
    } catch (IOException | RuntimeException e) {
      // the attributes are back; a failed close leaves nothing the user would see
    }
  }
}
