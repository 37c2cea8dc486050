package io.kubehop.client.cli;

import picocli.CommandLine.Option;

/**
 * The options every API command shares (a picocli mixin, like picocli's {@code LoggingMixin}):
 * which kubeconfig and context, the namespace, the request timeout, and verbosity. They are
 * accepted both before and after the subcommand ({@code kubehop -n x get pods}, {@code kubehop get
 * pods -n x}); the latter wins.
 */
public final class ClusterOptions {

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "Path to the kubeconfig file (default: $KUBECONFIG, then $KUBEHOP_HOME/kubeconfig).")
  String kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", description = "The kubeconfig context to use.")
  String context;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NS",
      description = "The namespace (default: the context's).")
  String namespace;

  @Option(
      names = "--request-timeout",
      paramLabel = "DURATION",
      description = "Time to wait for a single server request (e.g. 1s, 2m; 0 waits forever).")
  String requestTimeout;

  @Option(
      names = {"-v", "--v"},
      paramLabel = "LEVEL",
      arity = "0..1",
      fallbackValue = "6",
      description = "Log level: 6 logs each request to stderr, 8 also its headers.")
  Integer verbosity;

  /**
   * These options, with unset values taken from {@code outer} (the options given before the
   * subcommand).
   */
  ClusterOptions orElse(ClusterOptions outer) {
    ClusterOptions merged = new ClusterOptions();
    merged.kubeconfig = kubeconfig != null ? kubeconfig : outer.kubeconfig;
    merged.context = context != null ? context : outer.context;
    merged.namespace = namespace != null ? namespace : outer.namespace;
    merged.requestTimeout = requestTimeout != null ? requestTimeout : outer.requestTimeout;
    merged.verbosity = verbosity != null ? verbosity : outer.verbosity;
    return merged;
  }
}
