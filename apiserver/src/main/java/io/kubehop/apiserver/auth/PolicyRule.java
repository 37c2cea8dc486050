package io.kubehop.apiserver.auth;

import java.util.Set;

/**
 * One rule of a role, as RBAC's {@code PolicyRule}: verbs on resources (written {@code pods} or
 * {@code pods/log}, {@code *} for all) of some API groups ({@code ""} for core, {@code *} for all),
 * or verbs on non-resource URLs ({@code /api/*} matches by prefix).
 */
record PolicyRule(
    Set<String> verbs, Set<String> apiGroups, Set<String> resources, Set<String> nonResourceUrls) {

  /** Verbs on resources of the core group. */
  static PolicyRule resources(Set<String> verbs, String... resources) {
    return groupResources(verbs, Set.of(""), resources);
  }

  static PolicyRule groupResources(Set<String> verbs, Set<String> apiGroups, String... resources) {
    return new PolicyRule(verbs, apiGroups, Set.of(resources), Set.of());
  }

  static PolicyRule urls(Set<String> verbs, String... urls) {
    return new PolicyRule(verbs, Set.of(), Set.of(), Set.of(urls));
  }

  boolean allows(RequestAttributes a) {
    if (!verbs.contains("*") && !verbs.contains(a.verb())) {
      return false;
    }
    if (!a.resourceRequest()) {
      return nonResourceUrls.stream().anyMatch(url -> matches(url, a.path()));
    }
    return (apiGroups.contains("*") || apiGroups.contains(a.group() == null ? "" : a.group()))
        && (resources.contains("*") || resources.contains(a.resourceWithSubresource()));
  }

  /** RBAC's NonResourceURLMatches: exact, or a prefix when the rule ends with {@code *}. */
  private static boolean matches(String rule, String path) {
    if (rule.equals("*")) {
      return true;
    }
    if (rule.endsWith("*")) {
      return path.startsWith(rule.substring(0, rule.length() - 1));
    }
    return rule.equals(path);
  }
}
