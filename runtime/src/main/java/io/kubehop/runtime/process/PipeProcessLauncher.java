package io.kubehop.runtime.process;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Starts a process with plain pipes for stdout and stderr (and for stdin when it stays open). */
public final class PipeProcessLauncher implements ProcessLauncher {

  private static final File DEV_NULL = new File("/dev/null");

  @Override
  public LaunchedProcess launch(LaunchSpec spec) throws IOException {
    List<String> argv = new ArrayList<>(spec.argv());
    // a session of its own, so that everything the process starts can be found and killed with it
    ProcessSession.setsid().ifPresent(setsid -> argv.add(0, setsid.toString()));
    ProcessBuilder builder = new ProcessBuilder(argv).directory(spec.workingDir().toFile());
    builder.environment().clear();
    builder.environment().putAll(spec.environment());
    if (!spec.openStdin()) {
      builder.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
    }
    Process process = builder.start();
    if (!spec.openStdin()) {
      process.getOutputStream().close();
    }
    return new PipeProcess(process, spec.openStdin());
  }

  private record PipeProcess(Process process, boolean openStdin) implements LaunchedProcess {
    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public OutputStream stdin() {
      return openStdin ? process.getOutputStream() : null;
    }

    @Override
    public InputStream stdout() {
      return process.getInputStream();
    }

    @Override
    public InputStream stderr() {
      return process.getErrorStream();
    }

    @Override
    public boolean tty() {
      return false;
    }

    @Override
    public CompletableFuture<Integer> onExit() {
      // On Linux the JDK already reports death by signal N as 128+N (ProcessHandleImpl's waitpid
      // decoding).
      return process.onExit().thenApply(Process::exitValue);
    }

    @Override
    public void resize(int columns, int rows) {
      // no terminal, nothing to resize
    }
  }
}
