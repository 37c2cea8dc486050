package io.kubehop.client;

import io.kubehop.client.cli.CliContext;
import io.kubehop.client.cli.KubehopCommand;

/** Entry point of {@code bin/kubehop} for every command except up/down/status. */
public final class KubehopMain {

  private KubehopMain() {}

  public static void main(String[] args) {
    System.exit(KubehopCommand.commandLine(CliContext.system()).execute(args));
  }
}
