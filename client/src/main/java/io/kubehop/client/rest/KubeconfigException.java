package io.kubehop.client.rest;

import java.util.List;

/**
 * A kubeconfig that is missing or cannot be used. {@link #kubectlMessage()} is what kubectl prints
 * for it: {@code error: …}, or for a configuration that fails client-go's validation {@code Error
 * in configuration: …} with one line per problem.
 */
public final class KubeconfigException extends Exception {

  private static final long serialVersionUID = 1L;

  private final boolean invalidConfiguration;

  public KubeconfigException(String message) {
    this(message, false);
  }

  private KubeconfigException(String message, boolean invalidConfiguration) {
    super(message, null, false, false);
    this.invalidConfiguration = invalidConfiguration;
  }

  /**
   * client-go's {@code errConfigurationInvalid}, printed by kubectl's {@code MultilineError}: one
   * problem on the first line, several as a {@code * } list below it.
   */
  public static KubeconfigException invalid(List<String> problems) {
    String text = problems.size() == 1 ? problems.get(0) : "\n* " + String.join("\n* ", problems);
    return new KubeconfigException(text, true);
  }

  /** The whole line(s) kubectl prints for this failure. */
  public String kubectlMessage() {
    return (invalidConfiguration ? "Error in configuration: " : "error: ") + getMessage();
  }
}
