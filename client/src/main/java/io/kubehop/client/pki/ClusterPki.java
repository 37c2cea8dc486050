package io.kubehop.client.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster's credentials, made as kubeadm's {@code certs} and {@code kubeconfig} phases make
 * them and kept across {@code kubehop up}s: a CA, the apiserver's serving and kubelet-client
 * certificates, an admin client certificate, each kubelet's serving and client certificates, the
 * static bearer tokens of the admin and the viewer, and the kubeconfigs that use them (files: see
 * {@link PkiLayout}).
 *
 * <p>What is on disk is kept, byte for byte, unless {@link PkiRequest#regenerate()} asks otherwise
 * or it no longer fits: a certificate that is not signed by the CA, lacks a wanted name, or ends
 * within 30 days is made anew, and a new CA makes every certificate anew. A file that is there but
 * cannot be read is an error, not a reason to replace it: it may be someone's on purpose.
 */
public final class ClusterPki {

  static final String CA = "ca";
  static final String APISERVER = "apiserver";
  static final String APISERVER_KUBELET_CLIENT = "apiserver-kubelet-client";
  static final String ADMIN = "admin";
  static final String KUBELET = "kubelet";
  static final String KUBELET_CLIENT = "kubelet-client";

  /** The admin: the user of {@code kubeconfig}, its token and {@code admin.crt}. */
  public static final String ADMIN_USER = "kubehop-admin";

  /** The read-only user of {@code kubeconfig-viewer}. */
  public static final String VIEWER_USER = "kubehop-viewer";

  /** Upstream's superuser group: the RBAC authorizer lets it do anything. */
  public static final String MASTERS_GROUP = "system:masters";

  /** The viewer's group, which the apiserver lets read only. */
  public static final String VIEWERS_GROUP = "kubehop:viewers";

  /** kubeadm's group for the apiserver's kubelet client certificate. */
  static final String CLUSTER_ADMINS_GROUP = "kubeadm:cluster-admins";

  /** The group of every kubelet's client user, {@code system:node:NAME}. */
  static final String NODES_GROUP = "system:nodes";

  /** The names the apiserver is always reached by, as kubeadm's {@code GetAPIServerAltNames}. */
  static final AltNames APISERVER_NAMES =
      AltNames.parse(
          List.of(
              "127.0.0.1",
              "localhost",
              "kubernetes",
              "kubernetes.default",
              "kubernetes.default.svc"));

  private final PkiLayout layout;
  private final Clock clock;
  private final SecureRandom random;
  private final CertIssuer issuer;

  public ClusterPki(PkiLayout layout) {
    this(layout, Clock.systemUTC(), new SecureRandom());
  }

  ClusterPki(PkiLayout layout, Clock clock, SecureRandom random) {
    this.layout = layout;
    this.clock = clock;
    this.random = random;
    this.issuer = new CertIssuer(random);
  }

  public PkiLayout layout() {
    return layout;
  }

  /**
   * Makes sure every file exists and fits {@code request}, making only what must be made.
   *
   * @throws PkiException when a file cannot be read or written
   */
  public PkiResult ensure(PkiRequest request) throws PkiException {
    Run run = new Run(request, clock.instant());
    try {
      Files.createDirectories(layout.home());
      SecureFiles.createPrivateDirectory(layout.pkiDir());
      run.certificates();
      List<StaticToken> tokens = run.tokens();
      run.kubeconfigs(tokens);
    } catch (IOException e) {
      throw new PkiException("cannot write the PKI under " + layout.pkiDir() + ": " + e, e);
    } catch (GeneralSecurityException e) {
      throw new PkiException("cannot make a certificate: " + e.getMessage(), e);
    }
    return new PkiResult(run.generated, run.reused);
  }

  /** The certificate configs of the apiserver's serving certificate. */
  static CertConfig apiserver(AltNames extra) {
    return CertConfig.server("kube-apiserver", List.of(), APISERVER_NAMES.plus(extra));
  }

  /** A kubelet's serving certificate: its node's IP and name, as the apiserver dials it. */
  static CertConfig kubelet(NodeAddress node) {
    return CertConfig.server(
        node.user(),
        List.of(NODES_GROUP),
        new AltNames(java.util.Set.of(node.name()), java.util.Set.of(node.ip())));
  }

  /** One {@link #ensure} call: what it made and kept. */
  private final class Run {

    final PkiRequest request;
    final Instant now;
    final List<String> generated = new ArrayList<>();
    final List<String> reused = new ArrayList<>();
    CertKeyPair ca;
    boolean renewAll;

    Run(PkiRequest request, Instant now) {
      this.request = request;
      this.now = now;
      this.renewAll = request.regenerate();
    }

    void certificates() throws PkiException, IOException, GeneralSecurityException {
      Path dir = layout.pkiDir();
      if (!renewAll && PemFiles.exist(dir, CA)) {
        CertKeyPair found = PemFiles.read(dir, CA);
        if (CertChecks.caProblem(found, now) == null) {
          ca = found;
          reused.add(CA);
        }
      }
      if (ca == null) {
        ca = issuer.newCertificateAuthority(now);
        PemFiles.write(dir, CA, ca);
        generated.add(CA);
        renewAll = true; // nothing the old CA signed is trusted any more
      }
      leaf(APISERVER, dir, APISERVER, apiserver(request.apiserverSans()));
      leaf(
          APISERVER_KUBELET_CLIENT,
          dir,
          APISERVER_KUBELET_CLIENT,
          CertConfig.client("kube-apiserver-kubelet-client", CLUSTER_ADMINS_GROUP));
      leaf(ADMIN, dir, ADMIN, CertConfig.client(ADMIN_USER, MASTERS_GROUP));
      if (!request.nodes().isEmpty()) {
        SecureFiles.createPrivateDirectory(layout.pkiDir().resolve("nodes"));
      }
      for (NodeAddress node : request.nodes()) {
        Path nodeDir = layout.nodeDir(node.name());
        SecureFiles.createPrivateDirectory(nodeDir);
        String label = "nodes/" + node.name() + "/";
        leaf(label + KUBELET, nodeDir, KUBELET, kubelet(node));
        leaf(
            label + KUBELET_CLIENT,
            nodeDir,
            KUBELET_CLIENT,
            CertConfig.client(node.user(), NODES_GROUP));
      }
    }

    private void leaf(String label, Path dir, String baseName, CertConfig config)
        throws PkiException, IOException, GeneralSecurityException {
      if (!renewAll && PemFiles.exist(dir, baseName)) {
        CertKeyPair found = PemFiles.read(dir, baseName);
        if (CertChecks.leafProblem(found, config, ca.certificate(), now) == null) {
          reused.add(label);
          return;
        }
      }
      PemFiles.write(dir, baseName, issuer.newSignedCert(config, ca, now));
      generated.add(label);
    }

    /** The two static tokens: kept while the file names the same two users. */
    List<StaticToken> tokens() throws PkiException, IOException {
      List<StaticToken> wanted =
          List.of(
              new StaticToken("", ADMIN_USER, ADMIN_USER, List.of(MASTERS_GROUP)),
              new StaticToken("", VIEWER_USER, VIEWER_USER, List.of(VIEWERS_GROUP)));
      Path file = layout.tokens();
      if (!request.regenerate() && Files.exists(file)) {
        List<StaticToken> found = TokenFile.read(file);
        if (found.size() == wanted.size()
            && found.get(0).sameUser(wanted.get(0))
            && found.get(1).sameUser(wanted.get(1))
            && found.stream().noneMatch(t -> t.token().isEmpty())) {
          reused.add("tokens");
          return found;
        }
      }
      List<StaticToken> made = new ArrayList<>();
      for (StaticToken user : wanted) {
        made.add(
            new StaticToken(TokenFile.newToken(random), user.user(), user.uid(), user.groups()));
      }
      SecureFiles.write(file, TokenFile.format(made), SecureFiles.SECRET);
      generated.add("tokens");
      return made;
    }

    /** Written whenever their text changes (a new CA, token or server), else left alone. */
    void kubeconfigs(List<StaticToken> tokens) throws IOException {
      byte[] caPem = PemFiles.pem(ca.certificate());
      kubeconfig(
          "kubeconfig",
          layout.adminKubeconfig(),
          KubeconfigWriter.withToken(request.server(), caPem, ADMIN_USER, tokens.get(0).token()));
      kubeconfig(
          "kubeconfig-viewer",
          layout.viewerKubeconfig(),
          KubeconfigWriter.withToken(request.server(), caPem, VIEWER_USER, tokens.get(1).token()));
      for (NodeAddress node : request.nodes()) {
        kubeconfig(
            "nodes/" + node.name() + "/kubeconfig",
            layout.kubeletKubeconfig(node.name()),
            KubeconfigWriter.withClientCertificate(
                request.server(),
                caPem,
                node.user(),
                layout.kubeletClientCert(node.name()),
                layout.kubeletClientKey(node.name())));
      }
    }

    private void kubeconfig(String label, Path file, byte[] text) throws IOException {
      if (SecureFiles.writeIfChanged(file, text, SecureFiles.SECRET)) {
        generated.add(label);
      } else {
        reused.add(label);
      }
    }
  }
}
