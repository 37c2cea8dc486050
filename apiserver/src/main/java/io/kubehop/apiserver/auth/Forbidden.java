package io.kubehop.apiserver.auth;

import io.kubehop.api.meta.Status;
import io.kubehop.api.meta.StatusDetails;
import io.kubehop.api.meta.StatusException;
import io.kubehop.api.meta.StatusReason;

/**
 * The 403 of a denied request, worded as upstream's {@code responsewriters.Forbidden} ({@code
 * forbiddenMessage}) wrapped in {@code apierrors.NewForbidden}: {@code pods "demo" is forbidden:
 * User "x" cannot create resource "pods/exec" in API group "" in the namespace "default"}.
 */
public final class Forbidden {

  private Forbidden() {
    throw new AssertionError("No instances.");
  }

  /** The Status for {@code user} being denied {@code a}. */
  public static StatusException of(UserInfo user, RequestAttributes a) {
    String why = message(user, a);
    if (!a.resourceRequest()) {
      // NewForbidden with an empty GroupResource: "forbidden: …", details with nothing in them
      return new StatusException(
          Status.failure(
              403,
              StatusReason.FORBIDDEN,
              "forbidden: " + why,
              new StatusDetails(null, null, null, null, null, null)));
    }
    String qualified = a.group().isEmpty() ? a.resource() : a.resource() + "." + a.group();
    String message =
        a.name() == null
            ? qualified + " is forbidden: " + why
            : qualified + " \"" + a.name() + "\" is forbidden: " + why;
    return new StatusException(
        Status.failure(
            403,
            StatusReason.FORBIDDEN,
            message,
            new StatusDetails(
                a.name(), a.group().isEmpty() ? null : a.group(), a.resource(), null, null, null)));
  }

  /** Upstream's {@code forbiddenMessage}. */
  static String message(UserInfo user, RequestAttributes a) {
    String who = "User " + quote(user.name());
    if (!a.resourceRequest()) {
      return who + " cannot " + a.verb() + " path " + quote(a.path());
    }
    String where =
        a.namespace() == null
            ? " at the cluster scope"
            : " in the namespace " + quote(a.namespace());
    return who
        + " cannot "
        + a.verb()
        + " resource "
        + quote(a.resourceWithSubresource())
        + " in API group "
        + quote(a.group())
        + where;
  }

  /** Go's {@code %q} for the names that appear here (escapes quotes and backslashes). */
  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
