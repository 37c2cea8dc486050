package io.kubehop.apiserver.subresource;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Subresource handlers by {@code resource/subresource}; the router asks it for anything but {@code
 * status}.
 */
public final class SubresourceRegistry {

  private final Map<String, SubresourceHandler> handlers = new ConcurrentHashMap<>();

  /** Registers {@code handler} for {@code resource/subresource}, e.g. {@code ("pods", "exec")}. */
  public SubresourceRegistry register(
      String resource, String subresource, SubresourceHandler handler) {
    handlers.put(resource + "/" + subresource, handler);
    return this;
  }

  /** The handler, or null when the subresource does not exist. */
  public SubresourceHandler lookup(String resource, String subresource) {
    return handlers.get(resource + "/" + subresource);
  }
}
