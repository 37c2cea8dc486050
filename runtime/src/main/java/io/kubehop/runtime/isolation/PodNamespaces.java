package io.kubehop.runtime.isolation;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The namespaces a pod's containers share, held by a process of the pod's own (Kubernetes' pause
 * container): UTS, with the pod's hostname set, and IPC; with a shared PID namespace also that, the
 * holder then being its PID 1. The holder reads its stdin, a pipe from the runtime, until end of
 * file: it ends with the runtime even when the runtime is killed, and the namespaces go with it.
 *
 * @param holder the holder process (unshare, which keeps the UTS and IPC namespaces)
 * @param pidInit the PID 1 of the pod's PID namespace, or 0 when the pod has none
 */
public record PodNamespaces(Process holder, long pidInit) implements AutoCloseable {

  /** The namespace file of the holder for {@code type} (uts, ipc): what nsenter joins. */
  Path namespace(String type) {
    return Path.of("/proc", Long.toString(holder.pid()), "ns", type);
  }

  /** The pod's PID namespace, when it has one. */
  Path pidNamespace() {
    return Path.of("/proc", Long.toString(pidInit), "ns", "pid");
  }

  public boolean sharesPid() {
    return pidInit > 0;
  }

  /** Ends the holder, and with it the namespaces once no container uses them. */
  @Override
  public void close() {
    try {
      holder.getOutputStream().close();
    } catch (IOException e) {
      // the holder is gone already
    }
    holder.descendants().forEach(ProcessHandle::destroyForcibly);
    holder.destroyForcibly();
  }
}
