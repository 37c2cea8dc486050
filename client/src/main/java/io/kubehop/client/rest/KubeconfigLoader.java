package io.kubehop.client.rest;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds and reads the kubeconfig by kubectl's loading rules ({@code ClientConfigLoadingRules}),
 * adapted to kubehop: the {@code --kubeconfig} file alone when given; else every file of {@code
 * KUBECONFIG} (a path list), merged in order; else {@code $KUBEHOP_HOME/kubeconfig} ({@code
 * ~/.kubehop/kubeconfig}), kubehop's {@code ~/.kube/config}.
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

  /**
   * The files to read, by precedence; {@code flag} is the {@code --kubeconfig} value or null. Like
   * client-go, empty {@code KUBECONFIG} entries are skipped and repeated ones read once.
   */
  public List<Path> locateAll(String flag) {
    if (flag != null && !flag.isEmpty()) {
      return List.of(Path.of(flag));
    }
    Set<Path> files = new LinkedHashSet<>();
    for (String entry : env.getOrDefault("KUBECONFIG", "").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        files.add(Path.of(entry));
      }
    }
    if (!files.isEmpty()) {
      return new ArrayList<>(files);
    }
    String home = env.getOrDefault("KUBEHOP_HOME", "");
    Path base = home.isEmpty() ? Path.of(userHome, ".kubehop") : Path.of(home);
    return List.of(base.resolve("kubeconfig"));
  }

  /** The first file {@link #locateAll} names (the one kubectl would write to). */
  public Path locate(String flag) {
    return locateAll(flag).get(0);
  }

  /**
   * Reads and merges the kubeconfig files, selecting {@code context} (or the current-context when
   * null). A missing {@code --kubeconfig} file is an error; missing {@code KUBECONFIG} files are
   * skipped, as in client-go.
   */
  public Kubeconfig load(String flag, String context) throws KubeconfigException {
    boolean explicit = flag != null && !flag.isEmpty();
    List<Path> paths = locateAll(flag);
    List<KubeconfigFile> files = new ArrayList<>();
    Path first = null;
    for (Path path : paths) {
      try {
        files.add(KubeconfigFile.read(path));
        first = first == null ? path : first;
      } catch (NoSuchFileException e) {
        if (explicit) {
          throw new KubeconfigException("stat " + path + ": no such file or directory");
        }
      } catch (IOException e) {
        throw new KubeconfigException(
            "error loading config file \""
                + path
                + "\": "
                + Kubeconfig.goError("read", path.toString(), e));
      }
    }
    if (files.isEmpty()) {
      String where = String.join(", ", paths.stream().map(Path::toString).toList());
      throw new KubeconfigException(
          "no kubeconfig at " + where + " (run `kubehop up` first, or pass --kubeconfig)");
    }
    return Kubeconfig.resolve(first, KubeconfigFile.merge(files), context);
  }

  /** Whether any of the files {@link #locateAll} names exists (for completion: no noise). */
  public boolean anyExists(String flag) {
    return locateAll(flag).stream().anyMatch(Files::isRegularFile);
  }
}
