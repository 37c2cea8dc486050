package io.kubehop.client.cli;

import io.kubehop.api.util.GoDuration;
import io.kubehop.client.rest.HttpTransport;
import io.kubehop.client.rest.JdkHttpTransport;
import io.kubehop.client.rest.Kubeconfig;
import io.kubehop.client.rest.LoggingTransport;
import io.kubehop.client.rest.RestClient;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * Base of the commands that talk to the apiserver: resolves the kubeconfig and options, builds the
 * {@link RestClient}, and runs {@link #run(Session)}.
 */
abstract class ApiCommand implements Callable<Integer> {

  @ParentCommand KubehopCommand root;

  @Mixin ClusterOptions options;

  /** What a command run sees: its client, namespace and streams. */
  record Session(
      RestClient client, String namespace, boolean namespaceFlag, CliContext io, int verbosity) {
    PrintStream out() {
      return io.out();
    }

    PrintStream err() {
      return io.err();
    }
  }

  @Override
  public final Integer call() throws Exception {
    ClusterOptions o = options.orElse(root.options());
    CliContext io = root.context();
    Kubeconfig config = io.kubeconfigs().load(o.kubeconfig, o.context);
    HttpTransport transport = new JdkHttpTransport(config.connection());
    if (o.verbosity != null && o.verbosity >= 6) {
      transport = new LoggingTransport(transport, config.connection(), io.err(), o.verbosity);
    }
    Duration timeout = null;
    if (o.requestTimeout != null) {
      try {
        timeout =
            o.requestTimeout.matches("\\d+") // kubectl: a bare integer means seconds
                ? Duration.ofSeconds(Long.parseLong(o.requestTimeout))
                : GoDuration.parse(o.requestTimeout);
      } catch (IllegalArgumentException e) {
        throw new CommandException(
            "invalid argument \""
                + o.requestTimeout
                + "\" for \"--request-timeout\" flag: "
                + e.getMessage());
      }
    }
    try (RestClient client = new RestClient(config.connection(), transport, timeout)) {
      String namespace = o.namespace != null ? o.namespace : config.namespace();
      int verbosity = o.verbosity == null ? 0 : o.verbosity;
      return run(new Session(client, namespace, o.namespace != null, io, verbosity));
    } finally {
      io.out().flush();
    }
  }

  abstract int run(Session session) throws Exception;
}
