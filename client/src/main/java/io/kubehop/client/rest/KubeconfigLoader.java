package io.kubehop.client.rest;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the kubeconfig file like kubectl's loading rules, adapted to kubehop: the {@code
 * --kubeconfig} flag, then the first file of {@code KUBECONFIG}, then {@code
 * $KUBEHOP_HOME/kubeconfig} ({@code ~/.kubehop/kubeconfig}).
 */
public final class KubeconfigLoader {

  private final Map<String, String> env;
  private final String userHome;

  public KubeconfigLoader(Map<String, String> env, String userHome) {
    this.env = env;
    this.userHome = userHome;
  }

  /** The loader of this process. */
  public static KubeconfigLoader system() {
    return new KubeconfigLoader(System.getenv(), System.getProperty("user.home"));
  }

  /** The file to read, by precedence; {@code flag} is the {@code --kubeconfig} value or null. */
  public Path locate(String flag) {
    if (flag != null && !flag.isEmpty()) {
      return Path.of(flag);
    }
    String list = env.getOrDefault("KUBECONFIG", "");
    for (String entry : list.split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        return Path.of(entry);
      }
    }
    String home = env.getOrDefault("KUBEHOP_HOME", "");
    Path base = home.isEmpty() ? Path.of(userHome, ".kubehop") : Path.of(home);
    return base.resolve("kubeconfig");
  }

  /**
   * Locates and parses the kubeconfig, selecting {@code context} (or its current-context when
   * null).
   */
  public Kubeconfig load(String flag, String context) throws KubeconfigException {
    Path path = locate(flag);
    if (!Files.isRegularFile(path)) {
      if (flag != null && !flag.isEmpty()) {
        throw new KubeconfigException("stat " + path + ": no such file or directory");
      }
      throw new KubeconfigException(
          "no kubeconfig at " + path + " (run `kubehop up` first, or pass --kubeconfig)");
    }
    return Kubeconfig.load(path, context);
  }
}
