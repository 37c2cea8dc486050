package io.kubehop.runtime.process;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import com.pty4j.WinSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/** Starts a process on a fresh pseudo-terminal (pty4j); stdout and stderr are both the terminal. */
public final class PtyProcessLauncher implements ProcessLauncher {

  @Override
  public LaunchedProcess launch(LaunchSpec spec) throws IOException {
    PtyProcess process = new PtyProcessBuilder(spec.argv().toArray(String[]::new))
        .setEnvironment(spec.environment())
        .setDirectory(spec.workingDir().toString())
        // the size applies before the process runs: a shell reads it once at start (kubernetes#47990)
        .setInitialColumns(spec.columns())
        .setInitialRows(spec.rows())
        .setRedirectErrorStream(true)
        // keeps the slave side open so that output written just before exit is still readable
        .setUnixOpenTtyToPreserveOutputAfterTermination(true)
        .start();
    return new PtyLaunchedProcess(process);
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
