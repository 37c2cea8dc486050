package io.kubehop.apiserver.auth;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.logging.Logger;

/**
 * The apiserver's serving, authentication, authorization and audit flags, with upstream's names.
 * Every one is optional; {@link #NONE} is kubehop as it always was: plain HTTP, anyone may do
 * anything, nothing audited.
 *
 * @param tlsCertFile {@code --tls-cert-file}: PEM certificate (chain); with the key, HTTPS only
 * @param tlsPrivateKeyFile {@code --tls-private-key-file}: PEM key, EC or RSA, PKCS#8 or PKCS#1
 * @param clientCaFile {@code --client-ca-file}: client certificates are requested and trusted if
 *     this CA signed them
 * @param tokenAuthFile {@code --token-auth-file}: the static token CSV
 * @param authorizationMode {@code --authorization-mode}: {@code AlwaysAllow} or {@code RBAC}
 * @param auditLogPath {@code --audit-log-path}: JSON lines, or null for no audit
 */
public record AccessOptions(
    Path tlsCertFile,
    Path tlsPrivateKeyFile,
    Path clientCaFile,
    Path tokenAuthFile,
    String authorizationMode,
    Path auditLogPath) {

  public static final AccessOptions NONE =
      new AccessOptions(null, null, null, null, "AlwaysAllow", null);

  public AccessOptions {
    if ((tlsCertFile == null) != (tlsPrivateKeyFile == null)) {
      throw new IllegalArgumentException("--tls-cert-file and --tls-private-key-file go together");
    }
    if (clientCaFile != null && tlsCertFile == null) {
      throw new IllegalArgumentException("--client-ca-file needs --tls-cert-file (HTTPS)");
    }
    if (authorizationMode == null) {
      authorizationMode = "AlwaysAllow";
    }
    Authorizer.forMode(authorizationMode); // fail at startup on an unknown mode
  }

  public boolean tls() {
    return tlsCertFile != null;
  }

  /**
   * Makes {@code options} serve HTTPS when a certificate was given. ALPN stays off, so clients
   * always get HTTP/1.1, which exec, attach and port-forward upgrades need.
   */
  public HttpServerOptions configure(HttpServerOptions options) {
    if (!tls()) {
      return options;
    }
    PemKeyCertOptions keyCert = new PemKeyCertOptions().setCertPath(tlsCertFile.toString());
    String pkcs8;
    try {
      // one small file, once, before the server listens: not worth a trip to a worker thread
      pkcs8 = Sec1Keys.toPkcs8(Files.readString(tlsPrivateKeyFile, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("--tls-private-key-file: " + e.getMessage(), e);
    }
    if (pkcs8 != null) {
      keyCert.setKeyValue(Buffer.buffer(pkcs8));
    } else {
      keyCert.setKeyPath(tlsPrivateKeyFile.toString());
    }
    options.setSsl(true).setUseAlpn(false).setKeyCertOptions(keyCert);
    if (clientCaFile != null) {
      // REQUEST, not REQUIRED: token users and public paths come without a certificate
      options
          .setClientAuth(ClientAuth.REQUEST)
          .setTrustOptions(new PemTrustOptions().addCertPath(clientCaFile.toString()));
    }
    return options;
  }

  /** Reads the token file and opens the audit log (blocking: call off the event loop). */
  public RequestGate gate(Clock clock) throws IOException {
    TokenFile tokens = tokenAuthFile == null ? null : TokenFile.read(tokenAuthFile);
    AuditLog audit = auditLogPath == null ? null : AuditLog.open(auditLogPath);
    Authenticator authenticator = new Authenticator(tokens, clientCaFile != null);
    if (!authenticator.enabled() && !authorizationMode.equals("AlwaysAllow")) {
      Logger.getLogger(AccessOptions.class.getName())
          .warning(
              "--authorization-mode="
                  + authorizationMode
                  + " without --token-auth-file or --client-ca-file: every request is"
                  + " system:anonymous, which only the public paths admit");
    }
    return new RequestGate(authenticator, Authorizer.forMode(authorizationMode), audit, clock);
  }
}
