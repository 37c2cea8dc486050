package io.kubehop.apiserver.auth;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --authorization-mode=RBAC} with hard-coded roles bound to groups, no Role objects: the
 * bindings a fresh cluster has, and one viewer group.
 *
 * <ul>
 *   <li>{@code system:masters}: everything (upstream's {@code cluster-admin} binding).
 *   <li>{@code system:authenticated}: discovery, OpenAPI, version and health ({@code
 *       system:discovery}).
 *   <li>{@code kubehop:viewers}: read every resource but secrets, and {@code pods/log} (upstream's
 *       {@code view}, which leaves secrets out too); never exec, attach or port-forward, never
 *       {@code /metrics} or {@code /debug}.
 *   <li>{@code system:nodes}: what a kubelet needs to register and heartbeat its node, watch pods
 *       and report their status, delete the pods it killed, read the configmaps and secrets pods
 *       mount, and write events. Unlike upstream's Node authorizer it does not restrict a kubelet
 *       to its own node, pods and their configmaps and secrets.
 * </ul>
 */
final class BuiltinRoles implements Authorizer {

  static final String MASTERS = "system:masters";
  static final String VIEWERS = "kubehop:viewers";
  static final String NODES = "system:nodes";

  private static final Set<String> READ = Set.of("get", "list", "watch");

  private static final Map<String, List<PolicyRule>> ROLES =
      Map.of(
          MASTERS,
          List.of(PolicyRule.resources(Set.of("*"), "*"), PolicyRule.urls(Set.of("*"), "*")),
          UserInfo.AUTHENTICATED,
          List.of(
              PolicyRule.urls(
                  Set.of("get"),
                  "/api",
                  "/api/*",
                  "/apis",
                  "/apis/*",
                  "/openapi",
                  "/openapi/*",
                  "/version",
                  "/version/",
                  "/healthz",
                  "/livez",
                  "/readyz")),
          VIEWERS,
          List.of(
              PolicyRule.resources(
                  READ,
                  "pods",
                  "pods/status",
                  "nodes",
                  "nodes/status",
                  "namespaces",
                  "namespaces/status",
                  "configmaps",
                  "events"),
              PolicyRule.resources(Set.of("get"), "pods/log")),
          NODES,
          List.of(
              PolicyRule.resources(READ, "pods", "nodes", "namespaces", "configmaps", "secrets"),
              PolicyRule.resources(
                  Set.of("create", "get", "update", "patch"), "nodes", "nodes/status"),
              PolicyRule.resources(Set.of("update", "patch"), "pods/status"),
              PolicyRule.resources(Set.of("delete"), "pods"),
              PolicyRule.resources(Set.of("create", "update", "patch"), "events")));

  @Override
  public boolean authorize(UserInfo user, RequestAttributes attributes) {
    for (String group : user.groups()) {
      for (PolicyRule rule : ROLES.getOrDefault(group, List.of())) {
        if (rule.allows(attributes)) {
          return true;
        }
      }
    }
    return false;
  }
}
