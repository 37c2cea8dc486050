package io.kubehop.runtime.cri;

import java.util.Map;

/**
 * CRI label selectors: every selector entry must be present with the same value (an AND of
 * equalities).
 */
public final class Labels {

  private Labels() {}

  /** Whether the labels satisfy the selector; an empty selector matches everything. */
  public static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    for (Map.Entry<String, String> entry : selector.entrySet()) {
      if (!entry.getValue().equals(labels.get(entry.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
