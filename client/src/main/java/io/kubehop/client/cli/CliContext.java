package io.kubehop.client.cli;

import io.kubehop.client.rest.KubeconfigLoader;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * What a command may touch outside itself: the standard streams and the kubeconfig loader (the
 * environment). Tests run the CLI in-process with their own.
 */
public record CliContext(
    InputStream in, PrintStream out, PrintStream err, KubeconfigLoader kubeconfigs) {

  public static CliContext system() {
    return new CliContext(System.in, System.out, System.err, KubeconfigLoader.system());
  }
}
