package io.kubehop.client.rest;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A kubeconfig resolved to one context, as client-go's {@code DirectClientConfig} does it: the
 * context's cluster (server, CA, {@code insecure-skip-tls-verify}, {@code proxy-url}) and user
 * (token, token file, client certificate and key), checked first by kubectl's {@code ConfirmUsable}
 * rules so that the same mistakes give the same messages.
 *
 * @param path the first file it was read from
 * @param contextName the selected context
 * @param connection the cluster and user of that context
 * @param namespace the context's namespace, {@code default} when unset
 */
public record Kubeconfig(
    Path path, String contextName, ClusterConnection connection, String namespace) {

  /** Reads one file and resolves {@code context} (or current-context when null). */
  public static Kubeconfig load(Path path, String context) throws KubeconfigException {
    try {
      return resolve(path, KubeconfigFile.read(path), context);
    } catch (IOException e) {
      throw new KubeconfigException(
          "error loading config file \"" + path + "\": " + goError("open", path.toString(), e));
    }
  }

  /**
   * Resolves {@code context} (or the current-context when null or empty) in a loaded, possibly
   * merged, kubeconfig.
   */
  public static Kubeconfig resolve(Path path, KubeconfigFile config, String context)
      throws KubeconfigException {
    String contextName = context != null && !context.isEmpty() ? context : config.currentContext();
    if (contextName.isEmpty()) {
      throw new KubeconfigException("invalid configuration: no configuration has been provided");
    }
    KubeconfigFile.Entry ctx = config.contexts().get(contextName);
    if (ctx == null) {
      throw KubeconfigException.invalid(
          List.of("context was not found for specified context: " + contextName));
    }
    String clusterName = ctx.text("cluster");
    String userName = ctx.text("user");
    KubeconfigFile.Entry cluster = config.clusters().get(clusterName);
    KubeconfigFile.Entry user = config.users().get(userName);
    List<String> errors = new ArrayList<>();
    if (user != null) {
      validateUser(userName, user, errors);
    }
    if (cluster != null) {
      validateCluster(clusterName, cluster, errors);
    }
    if (!errors.isEmpty()) {
      throw KubeconfigException.invalid(errors);
    }
    String server = cluster == null ? "" : cluster.text("server");
    if (server.isEmpty()) {
      throw new KubeconfigException("invalid configuration: no configuration has been provided");
    }
    TlsConfig tls =
        new TlsConfig(
            material(cluster, "certificate-authority-data", "certificate-authority"),
            cluster.value().path("insecure-skip-tls-verify").asBoolean(false),
            material(user, "client-certificate-data", "client-certificate"),
            material(user, "client-key-data", "client-key"));
    String namespace = ctx.text("namespace");
    ClusterConnection connection;
    try {
      connection =
          new ClusterConnection(
              URI.create(server), tls, token(user), proxy(cluster.text("proxy-url")));
    } catch (IllegalArgumentException e) {
      throw new KubeconfigException("invalid configuration: " + e.getMessage());
    }
    return new Kubeconfig(
        path, contextName, connection, namespace.isEmpty() ? "default" : namespace);
  }

  /** client-go's {@code validateAuthInfo}, for the fields kubehop reads. */
  private static void validateUser(String name, KubeconfigFile.Entry user, List<String> errors) {
    boolean certFile = !user.text("client-certificate").isEmpty();
    boolean certData = !user.text("client-certificate-data").isEmpty();
    boolean keyFile = !user.text("client-key").isEmpty();
    boolean keyData = !user.text("client-key-data").isEmpty();
    if (!certFile && !certData) {
      return;
    }
    if (certFile && certData) {
      errors.add(
          "client-cert-data and client-cert are both specified for "
              + name
              + ". client-cert-data will override.");
    }
    if (keyFile && keyData) {
      errors.add(
          "client-key-data and client-key are both specified for "
              + name
              + "; client-key-data will override");
    }
    if (!keyFile && !keyData) {
      errors.add(
          "client-key-data or client-key must be specified for "
              + name
              + " to use the clientCert authentication method.");
    }
    readable(user.path("client-certificate"), "client-cert", name, errors);
    readable(user.path("client-key"), "client-key", name, errors);
  }

  /** client-go's {@code validateClusterInfo}, for the fields kubehop reads. */
  private static void validateCluster(
      String name, KubeconfigFile.Entry cluster, List<String> errors) {
    String proxy = cluster.text("proxy-url");
    if (!proxy.isEmpty()) {
      try {
        String scheme = new URI(proxy).getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) && !"socks5".equals(scheme)) {
          errors.add(
              "invalid 'proxy-url' \""
                  + proxy
                  + "\" for cluster \""
                  + name
                  + "\": unsupported scheme \""
                  + (scheme == null ? "" : scheme)
                  + "\", must be http, https, or socks5");
        }
      } catch (URISyntaxException e) {
        errors.add(
            "invalid 'proxy-url' \""
                + proxy
                + "\" for cluster \""
                + name
                + "\": "
                + e.getMessage());
      }
    }
    if (!cluster.text("certificate-authority").isEmpty()
        && !cluster.text("certificate-authority-data").isEmpty()) {
      errors.add(
          "certificate-authority-data and certificate-authority are both specified for "
              + name
              + ". certificate-authority-data will override.");
    }
    readable(cluster.path("certificate-authority"), "certificate-authority", name, errors);
  }

  private static void readable(String file, String what, String owner, List<String> errors) {
    if (file.isEmpty()) {
      return;
    }
    try (var in = Files.newInputStream(Path.of(file))) {
      // only opened, as client-go's validation does
    } catch (IOException e) {
      errors.add(
          "unable to read "
              + what
              + " "
              + file
              + " for "
              + owner
              + " due to "
              + goError("open", file, e));
    }
  }

  /** {@code -data} wins over the file, as in client-go. */
  private static byte[] material(KubeconfigFile.Entry entry, String dataField, String fileField)
      throws KubeconfigException {
    if (entry == null) {
      return null;
    }
    String data = entry.text(dataField);
    if (!data.isEmpty()) {
      try {
        return Base64.getMimeDecoder().decode(data);
      } catch (IllegalArgumentException e) {
        throw new KubeconfigException(
            "error loading config file: illegal base64 data in " + dataField);
      }
    }
    String file = entry.path(fileField);
    return file.isEmpty() ? null : readFile(file);
  }

  /**
   * The bearer token: a token file's trimmed content when it can be read (client-go's {@code
   * cachingTokenSource} prefers it), else the inline token.
   */
  private static Optional<String> token(KubeconfigFile.Entry user) throws KubeconfigException {
    if (user == null) {
      return Optional.empty();
    }
    String inline = user.text("token");
    String file = user.path("tokenFile");
    if (!file.isEmpty()) {
      try {
        String token = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
        if (token.isEmpty()) {
          throw new KubeconfigException("read empty token from file \"" + file + "\"");
        }
        return Optional.of(token);
      } catch (IOException e) {
        if (inline.isEmpty()) {
          throw new KubeconfigException(goError("open", file, e));
        }
      }
    }
    return inline.isEmpty() ? Optional.empty() : Optional.of(inline);
  }

  private static Optional<URI> proxy(String proxyUrl) {
    return proxyUrl.isEmpty() ? Optional.empty() : Optional.of(URI.create(proxyUrl));
  }

  private static byte[] readFile(String file) throws KubeconfigException {
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (IOException e) {
      throw new KubeconfigException(goError("open", file, e));
    }
  }

  /**
   * An I/O failure as Go's {@code *PathError} prints it, e.g. {@code open x: permission denied}.
   */
  static String goError(String op, String file, IOException e) {
    String reason =
        e instanceof NoSuchFileException
            ? "no such file or directory"
            : e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
    return op + " " + file + ": " + reason;
  }
}
