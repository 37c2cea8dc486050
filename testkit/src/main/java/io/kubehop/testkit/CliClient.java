package io.kubehop.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A command-line client of a cluster that tests run in kubectl's syntax: a stock {@link Kubectl},
 * or kubehop's own CLI. Matrices that prove a protocol feature take one of these, so the same cases
 * run against each client.
 */
public interface CliClient {

  /** The whole command line for {@code args}, for runners of their own (a pseudo-terminal). */
  List<String> command(String... args);

  /** The changes to the inherited environment: a {@code null} value removes the variable. */
  Map<String, String> environment();

  /** Runs the client with no stdin, for at most 60 s. */
  ProcessResult run(String... args);

  /**
   * Runs the client with {@code stdin} (then EOF; none if null); fails the test if it runs past
   * {@code deadline}.
   */
  ProcessResult run(String stdin, Duration deadline, String... args);

  /** Starts a client that runs until stopped, e.g. {@code port-forward}. */
  RunningCommand start(String... args);
}
