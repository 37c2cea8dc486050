package io.kubehop.client.pki;

import java.util.List;

/**
 * One line of the apiserver's {@code --token-auth-file}: a bearer token and the user it
 * authenticates (apiserver's {@code tokenfile} authenticator).
 *
 * @param token the bearer token
 * @param user the user name
 * @param uid the user's uid
 * @param groups the user's groups
 */
public record StaticToken(String token, String user, String uid, List<String> groups) {

  public StaticToken {
    groups = List.copyOf(groups);
  }

  /** Whether {@code other} names the same user, uid and groups (whatever its token). */
  boolean sameUser(StaticToken other) {
    return user.equals(other.user) && uid.equals(other.uid) && groups.equals(other.groups);
  }

  @Override
  public String toString() {
    // Never the token: this ends up in messages and logs.
    return "StaticToken[user=" + user + ", uid=" + uid + ", groups=" + groups + "]";
  }
}
