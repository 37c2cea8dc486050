package io.kubehop.apiserver.auth;

import io.kubehop.api.meta.Status;
import io.kubehop.api.meta.StatusException;
import io.kubehop.api.meta.StatusReason;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import java.util.Optional;

/**
 * Who a request comes from: a verified client certificate ({@code --client-ca-file}), else a bearer
 * token from {@code --token-auth-file}, else nobody. The order is upstream's union authenticator's
 * (x509 before the token file; the first that knows the caller wins), so a valid certificate admits
 * its user whatever token came with it, and a token the file does not know is a 401 only when no
 * certificate spoke for the caller.
 */
public final class Authenticator {

  private final TokenFile tokens;
  private final boolean clientCertificates;

  /**
   * @param tokens the token file, or null without {@code --token-auth-file}
   * @param clientCertificates whether {@code --client-ca-file} was given
   */
  public Authenticator(TokenFile tokens, boolean clientCertificates) {
    this.tokens = tokens;
    this.clientCertificates = clientCertificates;
  }

  /** True when a token file or a client CA was given: then requests need credentials. */
  public boolean enabled() {
    return tokens != null || clientCertificates;
  }

  /**
   * The user of {@code req}; empty when it carried no credentials. Throws the 401 Status for an
   * unknown bearer token.
   */
  public Optional<UserInfo> authenticate(HttpServerRequest req) {
    if (clientCertificates) {
      Optional<UserInfo> user = ClientCertificates.user(req.connection());
      if (user.isPresent()) {
        return user;
      }
    }
    String bearer = bearer(req.getHeader("Authorization"));
    if (bearer != null && tokens != null) {
      return Optional.of(tokens.lookup(bearer).orElseThrow(Authenticator::unauthorized));
    }
    return Optional.empty();
  }

  /** The token of {@code Authorization: Bearer <token>} (scheme case-insensitive), else null. */
  static String bearer(String header) {
    if (header == null) {
      return null;
    }
    String h = header.strip();
    if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      return null;
    }
    String token = h.substring(7).strip();
    return token.isEmpty() ? null : token;
  }

  /** Upstream's 401 body: message and reason both {@code Unauthorized}, no details. */
  public static StatusException unauthorized() {
    return new StatusException(
        Status.failure(401, StatusReason.UNAUTHORIZED, "Unauthorized", null));
  }
}
