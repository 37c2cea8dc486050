package io.kubehop.runtime.pod;

import io.kubehop.cri.v1.PodSandboxConfig;
import io.kubehop.cri.v1.PodSandboxFilter;
import io.kubehop.cri.v1.PodSandboxState;
import io.kubehop.runtime.cri.CriErrors;
import io.kubehop.runtime.cri.Ids;
import io.kubehop.runtime.cri.Labels;
import io.kubehop.runtime.isolation.Isolation;
import io.kubehop.runtime.state.ProtoJson;
import io.kubehop.runtime.state.StateStore;
import io.kubehop.runtime.state.Tree;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Keeps the pod sandboxes: creates them with an IP of their own and a directory, and answers
 * lookups and list filters. Stopping a sandbox's containers is the caller's business ({@link
 * io.kubehop.runtime.container .ContainerManager}); this class only tracks sandbox state. The
 * in-memory map is the truth; every change is also persisted through the {@link StateStore}.
 */
public final class PodSandboxManager {

  private static final Logger LOG = Logger.getLogger(PodSandboxManager.class.getName());

  private final Map<String, PodSandbox> sandboxes = new ConcurrentHashMap<>();

  /** Reserved names, as containerd reserves {@code <pod>_<namespace>_<uid>_<attempt>}. */
  private final Map<String, String> names = new ConcurrentHashMap<>();

  private final PodIpAllocator ips;
  private final StateStore store;
  private final Clock clock;
  private final Isolation isolation;

  public PodSandboxManager(PodIpAllocator ips, StateStore store, Clock clock) {
    this(ips, store, clock, Isolation.none());
  }

  public PodSandboxManager(PodIpAllocator ips, StateStore store, Clock clock, Isolation isolation) {
    this.ips = ips;
    this.store = store;
    this.clock = clock;
    this.isolation = isolation;
  }

  /** How containers are isolated. */
  public Isolation isolation() {
    return isolation;
  }

  /** Creates a READY sandbox; blocking (creates the pod directory). */
  public PodSandbox run(PodSandboxConfig config) {
    if (!config.hasMetadata() || config.getMetadata().getName().isEmpty()) {
      throw CriErrors.invalidArgument("sandbox config must include metadata with a name");
    }
    String name = reservedName(config);
    String id = Ids.newId();
    String existing = names.putIfAbsent(name, id);
    if (existing != null) {
      throw CriErrors.alreadyExists(
          "failed to reserve sandbox name \""
              + name
              + "\": name \""
              + name
              + "\" is reserved for \""
              + existing
              + "\"");
    }
    Optional<String> ip = ips.allocate();
    if (ip.isEmpty()) {
      names.remove(name);
      throw CriErrors.exhausted("no free pod IP left in " + ips.cidr());
    }
    Path podDir = store.root().resolve("pods").resolve(id);
    try {
      Files.createDirectories(podDir);
    } catch (IOException e) {
      names.remove(name);
      ips.release(ip.get());
      throw CriErrors.unknown(
          "failed to create sandbox directory " + podDir + ": " + e.getMessage());
    }
    PodSandbox sandbox = new PodSandbox(id, config, ip.get(), Ids.nanos(clock), podDir);
    if (isolation.enabled()) {
      try {
        sandbox.holdNamespaces(isolation.startPod(sandbox.hostname(), sandbox.sharesPid()));
      } catch (IOException e) {
        names.remove(name);
        ips.release(ip.get());
        deleteRecursively(podDir);
        throw CriErrors.unknown("failed to create the sandbox's namespaces: " + e.getMessage());
      }
    }
    sandboxes.put(id, sandbox);
    persist(sandbox);
    LOG.info("sandbox " + Ids.shortId(id) + " ready for pod " + name + " ip=" + ip.get());
    return sandbox;
  }

  /** The sandbox, or NOT_FOUND. */
  public PodSandbox get(String id) {
    PodSandbox sandbox = id.isEmpty() ? null : sandboxes.get(id);
    if (sandbox == null) {
      throw CriErrors.notFound("sandbox", id);
    }
    return sandbox;
  }

  /** The sandbox if it exists. */
  public Optional<PodSandbox> find(String id) {
    return Optional.ofNullable(sandboxes.get(id));
  }

  /** Marks a sandbox NOTREADY (its containers must already be stopped). */
  public void markStopped(PodSandbox sandbox) {
    sandbox.releaseNamespaces();
    if (sandbox.state() != PodSandboxState.SANDBOX_NOTREADY) {
      sandbox.markNotReady();
      persist(sandbox);
      LOG.info("sandbox " + Ids.shortId(sandbox.id()) + " stopped");
    }
  }

  /** Forgets a sandbox: releases its name and IP, deletes its record and directory. Blocking. */
  public void remove(PodSandbox sandbox) {
    if (sandboxes.remove(sandbox.id()) == null) {
      return;
    }
    sandbox.releaseNamespaces();
    names.remove(reservedName(sandbox.config()), sandbox.id());
    ips.release(sandbox.ip());
    store.delete(StateStore.Kind.SANDBOXES, sandbox.id());
    deleteRecursively(sandbox.podDir());
    LOG.info("sandbox " + Ids.shortId(sandbox.id()) + " removed, ip " + sandbox.ip() + " released");
  }

  /** Sandboxes matching the filter (all when it is empty), oldest first. */
  public List<PodSandbox> list(PodSandboxFilter filter) {
    return sandboxes.values().stream()
        .filter(s -> filter.getId().isEmpty() || s.id().startsWith(filter.getId()))
        .filter(s -> !filter.hasState() || s.state() == filter.getState().getState())
        .filter(s -> Labels.matches(filter.getLabelSelectorMap(), s.config().getLabelsMap()))
        .sorted(Comparator.comparingLong(PodSandbox::createdAt))
        .toList();
  }

  /** Every sandbox. */
  public Collection<PodSandbox> all() {
    return List.copyOf(sandboxes.values());
  }

  private void persist(PodSandbox sandbox) {
    JsonObject record =
        new JsonObject()
            .put("status", ProtoJson.toJson(sandbox.toStatus()))
            .put("config", ProtoJson.toJson(sandbox.config()))
            .put("podDir", sandbox.podDir().toString());
    store.save(StateStore.Kind.SANDBOXES, sandbox.id(), record);
  }

  private static String reservedName(PodSandboxConfig config) {
    var m = config.getMetadata();
    return m.getName() + "_" + m.getNamespace() + "_" + m.getUid() + "_" + m.getAttempt();
  }

  private static void deleteRecursively(Path dir) {
    try {
      Tree.delete(dir);
    } catch (IOException e) {
      LOG.warning("could not delete pod directory " + dir + ": " + e);
    }
  }
}
