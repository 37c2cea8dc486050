package io.kubehop.kubelet;

import io.kubehop.streaming.transport.TlsFiles;
import java.util.Set;

/**
 * How the kubelet secures its two sides. Toward its callers ({@code serving}): HTTPS with the
 * node's serving certificate, client certificates from the cluster CA, and only the {@code
 * authorizedUsers} (the apiserver's client certificate) let through. Toward the apiserver ({@code
 * apiserver}): the CA that signed the apiserver's certificate and the node's client certificate
 * ({@code system:node:<name>}). Either may be null: plain HTTP, as before.
 *
 * @param serving the kubelet server's certificate, key and client CA, or null
 * @param authorizedUsers the client certificate CNs allowed to call it when serving TLS with a CA
 * @param apiserver the CA and client certificate for the apiserver, or null
 */
public record KubeletSecurity(TlsFiles serving, Set<String> authorizedUsers, TlsFiles apiserver) {

  /** Plain HTTP both ways, no authentication (the tests' and {@code --insecure-http}'s). */
  public static final KubeletSecurity NONE = new KubeletSecurity(null, Set.of(), null);

  public KubeletSecurity {
    authorizedUsers = Set.copyOf(authorizedUsers);
  }

  /** Whether callers must present a client certificate (a serving CA is configured). */
  public boolean authenticatesCallers() {
    return serving != null && serving.caFile() != null;
  }
}
