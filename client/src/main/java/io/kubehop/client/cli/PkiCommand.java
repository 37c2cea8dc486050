package io.kubehop.client.cli;

import io.kubehop.client.pki.AltNames;
import io.kubehop.client.pki.ClusterPki;
import io.kubehop.client.pki.NodeAddress;
import io.kubehop.client.pki.PkiException;
import io.kubehop.client.pki.PkiLayout;
import io.kubehop.client.pki.PkiRequest;
import io.kubehop.client.pki.PkiResult;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The hidden {@code kubehop pki} that {@code bin/kubehop up} runs before it starts the tiers:
 * makes, or keeps, the cluster's certificates, tokens and kubeconfigs under {@code --home} ({@link
 * ClusterPki}). Prints one summary line on stderr and never a secret.
 */
@Command(
    name = "pki",
    hidden = true,
    description = "Create or reuse the cluster's certificates, tokens and kubeconfigs.")
final class PkiCommand implements Callable<Integer> {

  @ParentCommand KubehopCommand parent;

  @Option(names = "--home", required = true, paramLabel = "DIR", description = "KUBEHOP_HOME.")
  Path home;

  @Option(
      names = "--server",
      required = true,
      paramLabel = "URL",
      description = "The apiserver's https URL, written into the kubeconfigs.")
  URI server;

  @Option(
      names = "--apiserver-san",
      paramLabel = "IP_OR_DNS",
      description = "A further name of the apiserver certificate (repeatable).")
  List<String> apiserverSans = new ArrayList<>();

  @Option(
      names = "--node",
      paramLabel = "NAME=IP",
      description = "A node to make kubelet credentials for (repeatable).")
  List<String> nodes = new ArrayList<>();

  @Option(names = "--regenerate", description = "Make everything anew.")
  boolean regenerate;

  @Override
  public Integer call() {
    PkiRequest request;
    try {
      request =
          new PkiRequest(
              server,
              AltNames.parse(apiserverSans),
              nodes.stream().map(NodeAddress::parse).toList(),
              regenerate);
    } catch (IllegalArgumentException e) {
      throw new CommandException(e.getMessage());
    }
    try {
      PkiResult result = new ClusterPki(new PkiLayout(home)).ensure(request);
      parent.context().err().println(result.summary());
      return 0;
    } catch (PkiException e) {
      throw new CommandException("pki: " + e.getMessage());
    }
  }
}
