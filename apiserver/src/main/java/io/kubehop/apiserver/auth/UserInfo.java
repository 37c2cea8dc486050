package io.kubehop.apiserver.auth;

import java.util.List;

/**
 * Who made a request, as upstream's {@code user.Info}: a name, an optional uid, and the groups the
 * authorizer matches roles against.
 */
public record UserInfo(String name, String uid, List<String> groups) {

  /** Every authenticated user is also in this group (upstream adds it in the authenticator). */
  public static final String AUTHENTICATED = "system:authenticated";

  /** The group of requests that carried no credentials. */
  public static final String UNAUTHENTICATED = "system:unauthenticated";

  /** A request without credentials, when authentication is off. */
  public static final UserInfo ANONYMOUS =
      new UserInfo("system:anonymous", null, List.of(UNAUTHENTICATED));

  public UserInfo {
    groups = List.copyOf(groups);
  }

  /** An authenticated user: {@code groups} plus {@link #AUTHENTICATED}, once. */
  public static UserInfo authenticated(String name, String uid, List<String> groups) {
    List<String> all = new java.util.ArrayList<>(groups);
    if (!all.contains(AUTHENTICATED)) {
      all.add(AUTHENTICATED);
    }
    return new UserInfo(name, uid, all);
  }

  public boolean inGroup(String group) {
    return groups.contains(group);
  }
}
