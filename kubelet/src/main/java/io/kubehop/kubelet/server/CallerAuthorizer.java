package io.kubehop.kubelet.server;

import io.vertx.core.http.HttpServerRequest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Who may call the kubelet: a caller with a client certificate the cluster CA signed (the TLS
 * handshake already refused any other) whose user, its subject's CN, is one of the authorized ones.
 * Upstream's kubelet asks the apiserver (a SubjectAccessReview for {@code nodes/proxy}); this
 * stands in for that with the one answer a kubeadm cluster gives: the apiserver's kubelet client
 * certificate may, nobody else may. The answers are upstream's: {@code Unauthorized} (401) without
 * a certificate, and {@code Forbidden (user=…, verb=…, resource=nodes, subresource(s)=[…])} (403).
 */
final class CallerAuthorizer {

  private final Set<String> users;

  CallerAuthorizer(Set<String> users) {
    this.users = Set.copyOf(users);
  }

  /**
   * Whether {@code req} for {@code /<firstSegment>/…} may go on; if not, it has been answered. The
   * health check stays open, as the kubelet's {@code /healthz} port is.
   */
  boolean admit(HttpServerRequest req, String firstSegment) {
    if (firstSegment.equals("healthz")) {
      return true;
    }
    Optional<String> user = user(req);
    if (user.isEmpty()) {
      Responses.text(req, 401, "Unauthorized\n");
      return false;
    }
    if (!users.contains(user.get())) {
      Responses.text(
          req,
          403,
          "Forbidden (user="
              + user.get()
              + ", verb="
              + verb(req)
              + ", resource=nodes, subresource(s)=["
              + subresource(firstSegment)
              + "])\n");
      return false;
    }
    return true;
  }

  /** The CN of the verified client certificate, if the caller presented one. */
  static Optional<String> user(HttpServerRequest req) {
    if (!req.isSSL()) {
      return Optional.empty();
    }
    List<Certificate> chain;
    try {
      chain = req.connection().peerCertificates();
    } catch (SSLPeerUnverifiedException none) {
      return Optional.empty();
    }
    if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) {
      return Optional.empty();
    }
    try {
      for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return Optional.of(rdn.getValue().toString());
        }
      }
    } catch (InvalidNameException unparseable) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** Upstream's verb for an HTTP method (a WebSocket upgrade is a GET: {@code get}). */
  static String verb(HttpServerRequest req) {
    return switch (req.method().name().toUpperCase(Locale.ROOT)) {
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> "get";
    };
  }

  /** Upstream's subresource for a kubelet path: metrics, stats, logs; everything else is proxy. */
  static String subresource(String firstSegment) {
    return switch (firstSegment) {
      case "metrics" -> "metrics";
      case "stats" -> "stats";
      case "logs" -> "log";
      default -> "proxy";
    };
  }
}
