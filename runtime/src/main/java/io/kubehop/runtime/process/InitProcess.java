package io.kubehop.runtime.process;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * A launched process that set up a container's namespaces and forked its PID 1 ({@code unshare
 * --fork}): its stdio and exit are the container's, signals go to the PID 1.
 */
public record InitProcess(LaunchedProcess launcher, long initPid) implements LaunchedProcess {

  @Override
  public long pid() {
    return launcher.pid();
  }

  @Override
  public OutputStream stdin() {
    return launcher.stdin();
  }

  @Override
  public InputStream stdout() {
    return launcher.stdout();
  }

  @Override
  public InputStream stderr() {
    return launcher.stderr();
  }

  @Override
  public boolean tty() {
    return launcher.tty();
  }

  @Override
  public CompletableFuture<Integer> onExit() {
    return launcher.onExit();
  }

  @Override
  public void resize(int columns, int rows) {
    launcher.resize(columns, rows);
  }
}
