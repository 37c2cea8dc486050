package io.kubehop.client.pki;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The kubeconfigs kubeadm writes ({@code admin.conf}, {@code kubelet.conf}), for our cluster {@code
 * kubehop}: the CA inline as {@code certificate-authority-data}, one user and one context. Jackson
 * writes the YAML, so every value is quoted as YAML needs it.
 */
final class KubeconfigWriter {

  /** The cluster's name in every kubeconfig. */
  static final String CLUSTER = "kubehop";

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build());

  private KubeconfigWriter() {
    throw new AssertionError("No instances.");
  }

  /** A user's kubeconfig: context {@code kubehop}, namespace default, a bearer token. */
  static byte[] withToken(URI server, byte[] caPem, String user, String token) {
    ObjectNode credentials = YAML.createObjectNode().put("token", token);
    return write(server, caPem, CLUSTER, user, credentials);
  }

  /**
   * A kubelet's kubeconfig: its client certificate and key by path, as kubeadm's {@code
   * kubelet.conf} names {@code /var/lib/kubelet/pki/kubelet-client-current.pem}, so that renewing
   * the files needs no new kubeconfig.
   */
  static byte[] withClientCertificate(
      URI server, byte[] caPem, String user, Path certificate, Path key) {
    ObjectNode credentials =
        YAML.createObjectNode()
            .put("client-certificate", certificate.toString())
            .put("client-key", key.toString());
    return write(server, caPem, user + "@" + CLUSTER, user, credentials);
  }

  private static byte[] write(
      URI server, byte[] caPem, String context, String user, ObjectNode credentials) {
    ObjectNode root = YAML.createObjectNode();
    root.put("apiVersion", "v1");
    root.put("kind", "Config");
    ObjectNode cluster =
        root.putArray("clusters").addObject().put("name", CLUSTER).putObject("cluster");
    cluster.put("certificate-authority-data", Base64.getEncoder().encodeToString(caPem));
    cluster.put("server", server.toString());
    root.putArray("contexts")
        .addObject()
        .put("name", context)
        .putObject("context")
        .put("cluster", CLUSTER)
        .put("namespace", "default")
        .put("user", user);
    root.put("current-context", context);
    root.putObject("preferences");
    root.putArray("users").addObject().put("name", user).set("user", credentials);
    try {
      return YAML.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
