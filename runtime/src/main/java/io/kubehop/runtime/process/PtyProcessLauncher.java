package io.kubehop.runtime.process;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import com.pty4j.WinSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Starts a process on a fresh pseudo-terminal (pty4j); stdout and stderr are both the terminal. */
public final class PtyProcessLauncher implements ProcessLauncher {

  private static final Path SH = Path.of("/bin/sh");
  private static final Optional<String> STTY =
      ExecutableResolver.resolve("stty", "/usr/bin:/bin", Path.of("/")).map(Path::toString);

  @Override
  public LaunchedProcess launch(LaunchSpec spec) throws IOException {
    PtyProcess process =
        new PtyProcessBuilder(sizedFirst(spec).toArray(String[]::new))
            .setEnvironment(spec.environment())
            .setDirectory(spec.workingDir().toString())
            // the size applies before the process runs: a shell reads it once at start
            // (kubernetes#47990)
            .setInitialColumns(spec.columns())
            .setInitialRows(spec.rows())
            .setRedirectErrorStream(true)
            // keeps the slave side open so that output written just before exit is still readable
            .setUnixOpenTtyToPreserveOutputAfterTermination(true)
            .start();
    return new PtyLaunchedProcess(process);
  }

  /**
   * The argv, wrapped so that the terminal has its size before the command runs. pty4j applies its
   * initial size from the parent only after the child has started, so a quick {@code stty size}
   * could still see 0x0 (kubernetes#47990 is exactly this complaint). The wrapper sizes its own
   * terminal (stdin is the PTY), then execs the command in the same process: same pid, same
   * session, argv as given. Without /bin/sh or stty on this host the command runs unwrapped.
   */
  static List<String> sizedFirst(LaunchSpec spec) {
    if (!Files.isExecutable(SH) || STTY.isEmpty()) {
      return spec.argv();
    }
    List<String> argv =
        new ArrayList<>(
            List.of(
                SH.toString(),
                "-c",
                STTY.get() + " cols \"$1\" rows \"$2\" 2>/dev/null; shift 2; exec \"$@\"",
                "kubehop-tty",
                Integer.toString(spec.columns()),
                Integer.toString(spec.rows())));
    argv.addAll(spec.argv());
    return argv;
  }

  private record PtyLaunchedProcess(PtyProcess process) implements LaunchedProcess {
    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public OutputStream stdin() {
      return process.getOutputStream();
    }

    @Override
    public InputStream stdout() {
      return process.getInputStream();
    }

    @Override
    public InputStream stderr() {
      return null;
    }

    @Override
    public boolean tty() {
      return true;
    }

    @Override
    public CompletableFuture<Integer> onExit() {
      return process.onExit().thenApply(Process::exitValue);
    }

    @Override
    public void resize(int columns, int rows) {
      process.setWinSize(new WinSize(columns, rows));
    }
  }
}
