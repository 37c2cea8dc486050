package io.kubehop.apiserver.auth;

/** Decides whether a user may do what a request asks: upstream's {@code authorizer.Authorizer}. */
@FunctionalInterface
public interface Authorizer {

  /** {@code --authorization-mode=AlwaysAllow}: every request, as kubehop did before. */
  Authorizer ALWAYS_ALLOW = (user, attributes) -> true;

  boolean authorize(UserInfo user, RequestAttributes attributes);

  /** The authorizer a {@code --authorization-mode} value names: AlwaysAllow or RBAC. */
  static Authorizer forMode(String mode) {
    return switch (mode) {
      case "AlwaysAllow" -> ALWAYS_ALLOW;
      case "RBAC" -> new BuiltinRoles();
      default ->
          throw new IllegalArgumentException(
              "--authorization-mode: unknown mode \"" + mode + "\" (want AlwaysAllow or RBAC)");
    };
  }
}
