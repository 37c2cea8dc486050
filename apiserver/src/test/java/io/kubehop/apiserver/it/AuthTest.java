package io.kubehop.apiserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.json.ApiJson;
import io.kubehop.apiserver.ApiServer;
import io.kubehop.apiserver.auth.AccessOptions;
import io.kubehop.testkit.Await;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The apiserver with {@code --tls-cert-file}, {@code --client-ca-file}, {@code --token-auth-file},
 * {@code --authorization-mode=RBAC} and {@code --audit-log-path}, against real TLS clients, a fake
 * kubelet that answers every upgrade with a SPDY 101, and a CA made here.
 */
class AuthTest {

  private static final String UNAUTHORIZED =
      "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
          + "\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}";
  private static final String EXEC_FORBIDDEN =
      "pods \"demo\" is forbidden: User \"kubehop-viewer\" cannot create resource \"pods/exec\""
          + " in API group \"\" in the namespace \"default\"";

  @TempDir static Path tmp;
  private static final Vertx vertx = Vertx.vertx();
  private static TestPki pki;
  private static ApiServer server;
  private static Path audit;
  private static HttpClient anonymous;
  private static HttpClient alice;

  @BeforeAll
  static void start() throws Exception {
    pki = new TestPki("kubehop-test-ca");
    TestPki.Issued serving = pki.server();
    Path cert = TestPki.writePem(tmp.resolve("apiserver.crt"), serving.cert());
    Path key =
        TestPki.writePem(
            tmp.resolve("apiserver.key"),
            new JcaPKCS8Generator(serving.keys().getPrivate(), null).generate());
    Path ca = TestPki.writePem(tmp.resolve("ca.crt"), pki.ca.cert());
    Path tokens =
        Files.writeString(
            tmp.resolve("tokens.csv"),
            "# token,user,uid,groups\n"
                + "admin-token,admin,1,\"system:masters\"\n"
                + "\n"
                + "viewer-token,kubehop-viewer,2,\"kubehop:viewers\"\n"
                + "node-token,system:node:node-1,3,\"system:nodes\"\n");
    audit = tmp.resolve("logs").resolve("audit.log");
    server =
        ApiServer.start(
                vertx,
                new ApiServer.Options(
                        tmp.resolve("home"),
                        "127.0.0.1",
                        0,
                        Duration.ofSeconds(40),
                        Duration.ofSeconds(5))
                    .withAccess(new AccessOptions(cert, key, ca, tokens, "RBAC", audit)))
            .await();
    anonymous = client(pki.context(null));
    alice = client(pki.context(pki.client("CN=alice,O=system:masters")));
    int kubeletPort = FakeKubelet.listen(vertx, socket -> {});
    assertEquals(
        201,
        send(
                anonymous,
                "admin-token",
                "POST",
                "/api/v1/nodes",
                FakeKubelet.readyNode("node-1", kubeletPort))
            .statusCode());
    assertEquals(
        201,
        send(anonymous, "admin-token", "POST", "/api/v1/namespaces/default/pods", pod("demo"))
            .statusCode());
  }

  @AfterAll
  static void stop() {
    server.close().await();
    vertx.close().await();
  }

  private static String pod(String name) {
    return "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\""
        + name
        + "\"},\"spec\":{\"nodeName\":\"node-1\",\"schedulerName\":\"elsewhere\","
        + "\"containers\":[{\"name\":\"main\",\"image\":\"busybox\"}]}}";
  }

  private static HttpClient client(SSLContext tls) {
    return HttpClient.newBuilder()
        .sslContext(tls)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  private static HttpResponse<String> send(
      HttpClient http, String token, String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(HttpClient http, String token, String path)
      throws IOException, InterruptedException {
    return send(http, token, "GET", path, null);
  }

  private static String message(HttpResponse<String> r) throws IOException {
    return ApiJson.mapper().readTree(r.body()).path("message").asText();
  }

  /** Writes a raw request head over TLS; returns the whole answer (head and body). */
  private static String raw(String head) throws Exception {
    try (SSLSocket s =
        (SSLSocket) pki.context(null).getSocketFactory().createSocket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      while (!out.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        out.write(b);
      }
      String h = out.toString(StandardCharsets.ISO_8859_1);
      Matcher length = Pattern.compile("(?i)\r\ncontent-length: (\\d+)\r\n").matcher(h);
      if (length.find()) {
        out.write(in.readNBytes(Integer.parseInt(length.group(1))));
      }
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  private static String webSocketUpgrade(String pathAndQuery, String token) {
    return "GET "
        + pathAndQuery
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + token
        + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n";
  }

  private static String spdyUpgrade(String pathAndQuery, String token, String protocol) {
    return "POST "
        + pathAndQuery
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + token
        + "\r\nContent-Length: 0\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
        + "X-Stream-Protocol-Version: "
        + protocol
        + "\r\n\r\n";
  }

  private static void assertForbidden(String answer, String expectedMessage) throws IOException {
    assertTrue(answer.startsWith("HTTP/1.1 403 "), answer);
    JsonNode status = ApiJson.mapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
    assertEquals(expectedMessage, status.path("message").asText(), answer);
    assertEquals("Forbidden", status.path("reason").asText());
    assertEquals(403, status.path("code").asInt());
  }

  private static List<JsonNode> auditLines() throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(audit)) {
      lines.add(ApiJson.mapper().readTree(line));
    }
    return lines;
  }

  @Test
  void httpsWithTheTrustedCaWorksAndPlainHttpToTheSamePortFails() throws Exception {
    assertEquals(200, get(anonymous, null, "/healthz").statusCode());
    HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    assertThrows(
        IOException.class,
        () ->
            plain.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void theAdminTokenMayListPods() throws Exception {
    assertEquals(
        200, get(anonymous, "admin-token", "/api/v1/namespaces/default/pods").statusCode());
  }

  @Test
  void anUnknownTokenIs401ButAValidCertificateComesFirst() throws Exception {
    HttpResponse<String> r = get(anonymous, "no-such-token", "/api/v1/namespaces/default/pods");
    assertEquals(401, r.statusCode());
    assertEquals(UNAUTHORIZED, r.body());
    // Upstream's union authenticator asks the client certificate before the token file, and the
    // first that knows the caller wins: alice's certificate admits her whatever the token says.
    assertEquals(200, get(alice, "no-such-token", "/api/v1/namespaces/default/pods").statusCode());
  }

  @Test
  void noCredentialsIs401ExceptOnThePublicPaths() throws Exception {
    HttpResponse<String> r = get(anonymous, null, "/api/v1/namespaces/default/pods");
    assertEquals(401, r.statusCode());
    assertEquals(UNAUTHORIZED, r.body());
    assertEquals(401, get(anonymous, null, "/api").statusCode());
    assertEquals(200, get(anonymous, null, "/healthz").statusCode());
    assertEquals(200, get(anonymous, null, "/readyz").statusCode());
    assertEquals(200, get(anonymous, null, "/version").statusCode());
  }

  @Test
  void aClientCertificateOfSystemMastersMayDoAnything() throws Exception {
    assertEquals(200, get(alice, null, "/api/v1/namespaces/default/pods").statusCode());
    assertEquals(200, get(alice, null, "/metrics").statusCode());
    assertEquals(
        201,
        send(alice, null, "POST", "/api/v1/namespaces/default/pods", pod("by-alice")).statusCode());
  }

  @Test
  void aViewerMayReadButNotWrite() throws Exception {
    assertEquals(
        200, get(anonymous, "viewer-token", "/api/v1/namespaces/default/pods").statusCode());
    assertEquals(200, get(anonymous, "viewer-token", "/api/v1/nodes").statusCode());
    assertEquals(200, get(anonymous, "viewer-token", "/api/v1").statusCode());
    assertEquals(200, get(anonymous, "viewer-token", "/openapi/v2").statusCode());

    HttpResponse<String> create =
        send(anonymous, "viewer-token", "POST", "/api/v1/namespaces/default/pods", pod("nope"));
    assertEquals(403, create.statusCode());
    assertEquals(
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
            + "\"message\":\"pods is forbidden: User \\\"kubehop-viewer\\\" cannot create resource"
            + " \\\"pods\\\" in API group \\\"\\\" in the namespace \\\"default\\\"\","
            + "\"reason\":\"Forbidden\",\"details\":{\"kind\":\"pods\"},\"code\":403}",
        create.body());

    HttpResponse<String> delete =
        send(anonymous, "viewer-token", "DELETE", "/api/v1/nodes/node-1", null);
    assertEquals(403, delete.statusCode());
    assertEquals(
        "nodes \"node-1\" is forbidden: User \"kubehop-viewer\" cannot delete resource \"nodes\""
            + " in API group \"\" at the cluster scope",
        message(delete));

    HttpResponse<String> metrics = get(anonymous, "viewer-token", "/metrics");
    assertEquals(403, metrics.statusCode());
    assertEquals(
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
            + "\"message\":\"forbidden: User \\\"kubehop-viewer\\\" cannot get path \\\"/metrics\\\"\","
            + "\"reason\":\"Forbidden\",\"details\":{},\"code\":403}",
        metrics.body());
    assertEquals(403, get(anonymous, "viewer-token", "/debug/sessions?id=x").statusCode());
  }

  @Test
  void aViewerMayNotExecAttachOrPortForwardByAnyUpgrade() throws Exception {
    String exec = "/api/v1/namespaces/default/pods/demo/exec?command=ls&stdout=true";
    String answer = raw(webSocketUpgrade(exec, "viewer-token"));
    assertForbidden(answer, EXEC_FORBIDDEN);
    assertTrue(
        answer.contains("\"details\":{\"name\":\"demo\",\"kind\":\"pods\"}"), "details: " + answer);
    assertForbidden(raw(spdyUpgrade(exec, "viewer-token", "v4.channel.k8s.io")), EXEC_FORBIDDEN);

    String attachForbidden = EXEC_FORBIDDEN.replace("pods/exec", "pods/attach");
    String attach = "/api/v1/namespaces/default/pods/demo/attach?stdout=true&container=main";
    assertForbidden(raw(webSocketUpgrade(attach, "viewer-token")), attachForbidden);
    assertForbidden(raw(spdyUpgrade(attach, "viewer-token", "v4.channel.k8s.io")), attachForbidden);

    String forwardForbidden = EXEC_FORBIDDEN.replace("pods/exec", "pods/portforward");
    String forward = "/api/v1/namespaces/default/pods/demo/portforward?ports=80";
    assertForbidden(raw(webSocketUpgrade(forward, "viewer-token")), forwardForbidden);
    assertForbidden(
        raw(spdyUpgrade(forward, "viewer-token", "portforward.k8s.io")), forwardForbidden);

    Await.until(
        "the exec denials audited",
        () -> {
          try {
            return auditLines().stream()
                    .filter(l -> l.path("subresource").asText().equals("exec"))
                    .filter(l -> l.path("decision").asText().equals("deny"))
                    .count()
                >= 2;
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        });
    JsonNode denied =
        auditLines().stream()
            .filter(l -> l.path("subresource").asText().equals("exec"))
            .filter(l -> l.path("decision").asText().equals("deny"))
            .findFirst()
            .orElseThrow();
    assertEquals("kubehop-viewer", denied.path("user").asText(), denied.toString());
    assertEquals(
        "[\"kubehop:viewers\",\"system:authenticated\"]", denied.path("groups").toString());
    assertEquals("create", denied.path("verb").asText());
    assertEquals("pods", denied.path("resource").asText());
    assertEquals("default", denied.path("namespace").asText());
    assertEquals("demo", denied.path("name").asText());
    assertEquals("[\"ls\"]", denied.path("command").toString());
    assertEquals(403, denied.path("code").asInt());
    assertFalse(denied.has("sessionId"), denied.toString());
    assertTrue(
        denied.path("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
        denied.toString());
  }

  @Test
  void anAllowedExecIsAuditedWithTheSessionIdOfIts101() throws Exception {
    assertAuditedWhileOpen(
        spdyUpgrade(
            "/api/v1/namespaces/default/pods/demo/exec?container=main&command=cat"
                + "&command=/etc/hostname&stdin=true&stdout=true",
            "admin-token",
            "v4.channel.k8s.io"));
  }

  /**
   * A WebSocket 101 is written by Vert.x without a hook: the allow line still comes when the
   * session opens, not when it ends.
   */
  @Test
  void anAllowedWebSocketExecIsAuditedWhileItRuns() throws Exception {
    assertAuditedWhileOpen(
        webSocketUpgrade(
            "/api/v1/namespaces/default/pods/demo/exec?container=main&command=cat"
                + "&command=/etc/hostname&stdin=true&stdout=true",
            "admin-token"));
  }

  /** Sends {@code upgrade}, reads its 101, and finds its allow line while the session is open. */
  private void assertAuditedWhileOpen(String upgrade) throws Exception {
    try (SSLSocket s =
        (SSLSocket) pki.context(null).getSocketFactory().createSocket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(upgrade.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = s.getInputStream().read();
        if (b < 0) {
          break;
        }
        head.write(b);
      }
      String h = head.toString(StandardCharsets.ISO_8859_1);
      assertTrue(h.startsWith("HTTP/1.1 101 "), h);
      Matcher m = Pattern.compile("\r\nX-Kubehop-Session: ([^\r]*)\r\n").matcher(h);
      assertTrue(m.find(), h);
      String session = m.group(1);
      Await.until(
          "the exec audited while its connection is open",
          () -> {
            try {
              return auditLines().stream()
                  .anyMatch(l -> l.path("sessionId").asText().equals(session));
            } catch (IOException e) {
              throw new AssertionError(e);
            }
          });
      JsonNode allowed =
          auditLines().stream()
              .filter(l -> l.path("sessionId").asText().equals(session))
              .findFirst()
              .orElseThrow();
      assertEquals("admin", allowed.path("user").asText());
      assertEquals("allow", allowed.path("decision").asText());
      assertEquals("exec", allowed.path("subresource").asText());
      assertEquals("main", allowed.path("container").asText());
      assertEquals("[\"cat\",\"/etc/hostname\"]", allowed.path("command").toString());
      assertEquals(101, allowed.path("code").asInt());
      assertFalse(s.isClosed());
    }
  }

  @Test
  void aNodeMayReadPodsButNotCreateThem() throws Exception {
    assertEquals(
        200,
        get(anonymous, "node-token", "/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1")
            .statusCode());
    assertEquals(200, get(anonymous, "node-token", "/api/v1/nodes/node-1").statusCode());
    HttpResponse<String> create =
        send(anonymous, "node-token", "POST", "/api/v1/namespaces/default/pods", pod("nope"));
    assertEquals(403, create.statusCode());
    assertEquals(
        "pods is forbidden: User \"system:node:node-1\" cannot create resource \"pods\" in API"
            + " group \"\" in the namespace \"default\"",
        message(create));
    HttpResponse<String> list =
        get(anonymous, "node-token", "/api/v1/namespaces/default/pods/demo/log");
    assertEquals(403, list.statusCode());
  }

  @Test
  void theAuditLogIsTheOwnersOnlyAndNamesNoToken() throws Exception {
    assertEquals(403, get(anonymous, "viewer-token", "/metrics").statusCode());
    // The audit file is shared by every test of this class, so "not empty" proves nothing: wait for
    // this
    // request's own line. A line still being written does not parse yet; the next poll reads it
    // whole.
    Await.until(
        "the /metrics denial audited",
        () -> {
          try {
            return Files.exists(audit)
                && auditLines().stream()
                    .anyMatch(
                        l ->
                            l.path("path").asText().equals("/metrics")
                                && l.path("decision").asText().equals("deny"));
          } catch (IOException e) {
            return false;
          }
        });
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(audit)));
    String all = Files.readString(audit);
    assertFalse(all.contains("-token"), all);
  }
}
