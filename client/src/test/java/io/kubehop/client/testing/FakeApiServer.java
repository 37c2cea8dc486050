package io.kubehop.client.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.kubehop.testkit.Kubeconfigs;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A tiny apiserver for client tests (JDK HttpServer on 127.0.0.1, random port): serves legacy
 * discovery, answers canned responses by {@code METHOD path?query} (or {@code METHOD path}),
 * records every request, and streams chunked bodies (watch events, logs) from a queue the test
 * feeds.
 */
public final class FakeApiServer implements AutoCloseable {

  /** One recorded request; header names lower-cased. */
  public record Request(String method, String uri, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase());
    }
  }

  /** Answers one exchange. */
  @FunctionalInterface
  public interface Responder {
    void respond(HttpExchange exchange) throws IOException;
  }

  /** Ends a {@link #stream} body. */
  public static final String END = "\u0000end";

  private static final String API_RESOURCES =
      "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
          + "{\"name\":\"pods\",\"singularName\":\"pod\",\"namespaced\":true,\"kind\":\"Pod\",\"verbs\":[\"create\","
          + "\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"],\"shortNames\":[\"po\"],\"categories\":[\"all\"]},"
          + "{\"name\":\"pods/log\",\"singularName\":\"\",\"namespaced\":true,\"kind\":\"Pod\",\"verbs\":[\"get\"]},"
          + "{\"name\":\"nodes\",\"singularName\":\"node\",\"namespaced\":false,\"kind\":\"Node\",\"verbs\":[\"get\","
          + "\"list\",\"watch\"],\"shortNames\":[\"no\"]},"
          + "{\"name\":\"namespaces\",\"singularName\":\"namespace\",\"namespaced\":false,\"kind\":\"Namespace\","
          + "\"verbs\":[\"create\",\"get\",\"list\",\"watch\"],\"shortNames\":[\"ns\"]}]}";

  private final HttpServer server;
  private final String scheme;
  private final Map<String, Responder> routes = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  public FakeApiServer() throws IOException {
    this(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16), "http");
  }

  /** An https server presenting the key and certificate of {@code ssl}. */
  public static FakeApiServer https(SSLContext ssl) throws IOException {
    return https(ssl, false);
  }

  /**
   * An https server presenting the key and certificate of {@code ssl}; with {@code needClientAuth}
   * it refuses clients without a certificate that {@code ssl} trusts.
   */
  public static FakeApiServer https(SSLContext ssl, boolean needClientAuth) throws IOException {
    HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    https.setHttpsConfigurator(
        new HttpsConfigurator(ssl) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters parameters = ssl.getDefaultSSLParameters();
            parameters.setNeedClientAuth(needClientAuth);
            params.setSSLParameters(parameters);
          }
        });
    return new FakeApiServer(https, "https");
  }

  private FakeApiServer(HttpServer server, String scheme) {
    this.server = server;
    this.scheme = scheme;
    server.setExecutor(
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fake-apiserver");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/", this::handle);
    on(
        "GET",
        "/api",
        json(
            200,
            "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":"
                + "[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1:6443\"}]}"));
    on(
        "GET",
        "/apis",
        json(200, "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}"));
    on("GET", "/api/v1", json(200, API_RESOURCES));
    server.start();
  }

  public String url() {
    return scheme + "://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Routes {@code METHOD target}; target is a path, or a path with its exact query. */
  public FakeApiServer on(String method, String target, Responder responder) {
    routes.put(method + " " + target, responder);
    return this;
  }

  /** Requests other than discovery, in order. */
  public List<Request> requests() {
    return requests.stream()
        .filter(
            r ->
                !r.uri().matches("/(api|apis|api/v1)(\\?timeout=32s)?")
                    && !r.uri().startsWith("/openapi")
                    && !r.uri().startsWith("/version"))
        .toList();
  }

  /** Writes a kubeconfig for this server (namespace {@code default}) and returns its path. */
  public Path writeKubeconfig(Path dir) {
    return Kubeconfigs.write(dir.resolve("kubeconfig"), url());
  }

  public static Responder json(int code, String body) {
    return exchange -> {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(code, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    };
  }

  /** Answers with the request's own body (a create that returns what it stored). */
  public static Responder echo(int code) {
    return exchange -> json(code, (String) exchange.getAttribute("body")).respond(exchange);
  }

  /** A chunked body: each queued string is written and flushed; {@link #END} ends the response. */
  public static Responder stream(String contentType, BlockingQueue<String> chunks) {
    return exchange -> {
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        while (true) {
          String chunk = chunks.poll(30, TimeUnit.SECONDS);
          if (chunk == null || chunk.equals(END)) {
            return;
          }
          out.write(chunk.getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException clientGone) {
        // the client closed the watch
      }
    };
  }

  /**
   * A chunked body made of the given chunks, then the end of the stream (the same for every
   * request).
   */
  public static Responder chunks(String contentType, String... chunks) {
    return exchange -> {
      BlockingQueue<String> queue = new LinkedBlockingQueue<>(List.of(chunks));
      queue.add(END);
      stream(contentType, queue).respond(exchange);
    };
  }

  /** The {@code n}th request (non-discovery) once it has arrived, waiting up to {@code timeout}. */
  public Request awaitRequest(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (requests().size() <= n) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          throw new AssertionError("request " + n + " did not arrive; got " + requests());
        }
        wait(left);
      }
    }
    return requests().get(n);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String uri =
        exchange.getRequestURI().getRawPath()
            + (exchange.getRequestURI().getRawQuery() == null
                ? ""
                : "?" + exchange.getRequestURI().getRawQuery());
    Map<String, String> headers = new TreeMap<>();
    exchange
        .getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String method = exchange.getRequestMethod();
    requests.add(new Request(method, uri, headers, body));
    exchange.setAttribute("body", body);
    synchronized (this) {
      notifyAll();
    }
    Responder responder = routes.get(method + " " + uri);
    if (responder == null) {
      responder = routes.get(method + " " + exchange.getRequestURI().getRawPath());
    }
    if (responder == null) {
      responder =
          json(
              404,
              "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                  + "\"message\":\"the server could not find the requested resource\",\"reason\":\"NotFound\","
                  + "\"details\":{},\"code\":404}");
    }
    try {
      responder.respond(exchange);
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
