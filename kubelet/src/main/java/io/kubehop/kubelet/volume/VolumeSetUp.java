package io.kubehop.kubelet.volume;

import io.kubehop.api.core.ConfigMapProjection;
import io.kubehop.api.core.ConfigMapVolumeSource;
import io.kubehop.api.core.Pod;
import io.kubehop.api.core.SecretProjection;
import io.kubehop.api.core.SecretVolumeSource;
import io.kubehop.api.core.Volume;
import io.kubehop.api.core.VolumeProjection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/** Sets up one volume of a pod on disk (blocking). */
final class VolumeSetUp {

  private static final Logger LOG = Logger.getLogger(VolumeSetUp.class.getName());

  private VolumeSetUp() {
    throw new AssertionError("No instances.");
  }

  /** Upstream's plugin directory names. */
  static String pluginDir(Volume v) throws VolumeException {
    if (v.emptyDir() != null) {
      return "kubernetes.io~empty-dir";
    }
    if (v.configMap() != null) {
      return "kubernetes.io~configmap";
    }
    if (v.secret() != null) {
      return "kubernetes.io~secret";
    }
    if (v.downwardAPI() != null) {
      return "kubernetes.io~downward-api";
    }
    if (v.projected() != null) {
      return "kubernetes.io~projected";
    }
    if (v.hostPath() != null) {
      return "kubernetes.io~host-path";
    }
    throw new VolumeException(
        "kubehop supports emptyDir, configMap, secret, downwardAPI, projected and hostPath volumes"
            + " only");
  }

  static PodVolumes.Mounted setUp(
      Pod pod, Volume v, Path podDir, Map<String, VolumeManager.Fetched> fetched, Clock clock)
      throws VolumeException, IOException {
    if (v.name() == null
        || v.name().isEmpty()
        || v.name().contains("/")
        || v.name().startsWith(".")) {
      throw new VolumeException("invalid volume name \"" + v.name() + "\"");
    }
    if (v.hostPath() != null) {
      return new PodVolumes.Mounted(hostPath(v), false);
    }
    Path dir = podDir.resolve("volumes").resolve(pluginDir(v)).resolve(v.name());
    if (v.emptyDir() != null) {
      String medium = v.emptyDir().medium();
      if (medium != null && !medium.isEmpty()) {
        throw new VolumeException("emptyDir medium \"" + medium + "\" is not supported by kubehop");
      }
      createWorldWritable(dir);
      return new PodVolumes.Mounted(dir, false);
    }
    Map<String, FileProjection> payload = payload(pod, v, fetched);
    createWorldWritable(dir);
    new AtomicWriter(dir, clock).write(payload);
    return new PodVolumes.Mounted(dir, true);
  }

  /**
   * The node's path of a hostPath volume, checked (or created) as its {@code type} says, in
   * upstream's words.
   */
  private static Path hostPath(Volume v) throws VolumeException, IOException {
    String pathText = v.hostPath().path();
    if (pathText == null || !pathText.startsWith("/")) {
      throw new VolumeException("hostPath " + v.name() + ": path must be absolute: " + pathText);
    }
    Path path = Path.of(pathText);
    String type = v.hostPath().type() == null ? "" : v.hostPath().type();
    switch (type) {
      case "DirectoryOrCreate" -> {
        if (!Files.exists(path)) {
          Files.createDirectories(path);
          Files.setPosixFilePermissions(path, AtomicWriter.perms(0755));
        }
        if (!Files.isDirectory(path)) {
          throw new VolumeException("hostPath type check failed: " + path + " is not a directory");
        }
      }
      case "Directory" -> {
        if (!Files.isDirectory(path)) {
          throw new VolumeException("hostPath type check failed: " + path + " is not a directory");
        }
      }
      case "FileOrCreate" -> {
        if (!Files.exists(path)) {
          Files.createDirectories(path.getParent());
          Files.createFile(path);
          Files.setPosixFilePermissions(path, AtomicWriter.perms(0644));
        }
        if (!Files.isRegularFile(path)) {
          throw new VolumeException("hostPath type check failed: " + path + " is not a file");
        }
      }
      case "File" -> {
        if (!Files.isRegularFile(path)) {
          throw new VolumeException("hostPath type check failed: " + path + " is not a file");
        }
      }
      case "" -> {
        // no check: an absent path is created as a directory by the runtime's bind, as Docker does
        if (!Files.exists(path)) {
          Files.createDirectories(path);
        }
      }
      default -> {
        if (!Files.exists(path)) {
          throw new VolumeException("hostPath type check failed: " + path + " does not exist");
        }
      }
    }
    return path;
  }

  /** Upstream makes a volume's own directory 0777 so that any user in the pod may use it. */
  private static void createWorldWritable(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, AtomicWriter.perms(0777));
    }
  }

  static Map<String, FileProjection> payload(
      Pod pod, Volume v, Map<String, VolumeManager.Fetched> fetched) throws VolumeException {
    if (v.configMap() != null) {
      ConfigMapVolumeSource s = v.configMap();
      boolean optional = Boolean.TRUE.equals(s.optional());
      return Payloads.configMap(
          object(fetched, "configmap", s.name(), optional),
          s.items(),
          mode(s.defaultMode()),
          optional);
    }
    if (v.secret() != null) {
      SecretVolumeSource s = v.secret();
      boolean optional = Boolean.TRUE.equals(s.optional());
      return Payloads.secret(
          object(fetched, "secret", s.secretName(), optional),
          s.items(),
          mode(s.defaultMode()),
          optional);
    }
    if (v.downwardAPI() != null) {
      return Payloads.downwardApi(
          pod, v.downwardAPI().items(), mode(v.downwardAPI().defaultMode()));
    }
    return projected(pod, v, fetched);
  }

  /**
   * Every source's files in one volume; the errors of all sources are reported together, as
   * upstream's aggregate ({@code [a, b]} when more than one).
   */
  private static Map<String, FileProjection> projected(
      Pod pod, Volume v, Map<String, VolumeManager.Fetched> fetched) throws VolumeException {
    int defaultMode = mode(v.projected().defaultMode());
    Map<String, FileProjection> payload = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    for (VolumeProjection p : v.projected().sources()) {
      try {
        if (p.configMap() != null) {
          ConfigMapProjection s = p.configMap();
          boolean optional = Boolean.TRUE.equals(s.optional());
          payload.putAll(
              Payloads.configMap(
                  object(fetched, "configmap", s.name(), optional),
                  s.items(),
                  defaultMode,
                  optional));
        } else if (p.secret() != null) {
          SecretProjection s = p.secret();
          boolean optional = Boolean.TRUE.equals(s.optional());
          payload.putAll(
              Payloads.secret(
                  object(fetched, "secret", s.name(), optional), s.items(), defaultMode, optional));
        } else if (p.downwardAPI() != null) {
          payload.putAll(Payloads.downwardApi(pod, p.downwardAPI().items(), defaultMode));
        } else if (p.serviceAccountToken() != null) {
          // Pods copied from a real cluster carry kube-api-access-*; kubehop issues no tokens, so
          // the source is left out rather than holding the whole pod back.
          LOG.fine("projected volume " + v.name() + ": serviceAccountToken source skipped");
        }
      } catch (VolumeException e) {
        errors.add(e.getMessage());
      }
    }
    if (errors.size() == 1) {
      throw new VolumeException(errors.get(0));
    }
    if (!errors.isEmpty()) {
      throw new VolumeException("[" + String.join(", ", errors) + "]");
    }
    return payload;
  }

  private static int mode(Integer mode) {
    return mode == null ? Payloads.DEFAULT_MODE : mode;
  }

  /**
   * The fetched object; null for a missing optional one; a missing required one fails as upstream
   * words it ({@code configmap "x" not found}).
   */
  private static com.fasterxml.jackson.databind.JsonNode object(
      Map<String, VolumeManager.Fetched> fetched, String kind, String name, boolean optional)
      throws VolumeException {
    VolumeManager.Fetched f = fetched.get(kind + "/" + name);
    if (f != null && f.error() != null) {
      throw new VolumeException(f.error());
    }
    if (f == null || f.object() == null) {
      if (optional) {
        return null;
      }
      throw new VolumeException(kind + " \"" + name + "\" not found");
    }
    return f.object();
  }
}
