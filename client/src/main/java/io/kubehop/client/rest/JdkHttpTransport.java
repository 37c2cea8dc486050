package io.kubehop.client.rest;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * {@link HttpTransport} over {@code java.net.http.HttpClient}, forced to HTTP/1.1 like kubectl
 * against a plain apiserver. Bodies are streamed ({@code ofInputStream}), so a watch is read line
 * by line as it arrives. The CLI has no event loop, so blocking here is fine.
 */
public final class JdkHttpTransport implements HttpTransport {

  static final String USER_AGENT =
      "kubehop/0.1.0 (" + System.getProperty("os.name").toLowerCase() + ")";

  private final ClusterConnection connection;
  private final HttpClient client;

  public JdkHttpTransport(ClusterConnection connection) throws IOException {
    this.connection = connection;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER);
    if (connection.isTls()) {
      // Host names are verified (the client's default); insecure-skip-tls-verify turns that off
      // through its trust manager, see TlsContexts.
      builder.sslContext(TlsContexts.create(connection.tls()));
    }
    if (connection.proxy().isPresent()) {
      builder.proxy(ProxySelector.of(proxyAddress(connection.proxy().get())));
    }
    this.client = builder.build();
  }

  /**
   * The kubeconfig's {@code proxy-url} as the JDK client takes it: an http proxy, to which https
   * requests go through {@code CONNECT} and http requests in absolute form, as with Go's {@code
   * http.Transport}. The JDK client speaks neither TLS to a proxy nor SOCKS, nor (by default) Basic
   * proxy credentials on a tunnel, so those are refused rather than silently bypassed.
   */
  static InetSocketAddress proxyAddress(URI proxy) throws IOException {
    if (!"http".equals(proxy.getScheme())) {
      throw new IOException(
          "proxy-url "
              + proxy
              + ": kubehop supports only http proxies (scheme \""
              + proxy.getScheme()
              + "\")");
    }
    if (proxy.getUserInfo() != null) {
      throw new IOException("proxy-url " + proxy + ": proxy credentials are not supported");
    }
    return InetSocketAddress.createUnresolved(
        proxy.getHost(), proxy.getPort() == -1 ? 80 : proxy.getPort());
  }

  @Override
  public ApiResponse send(ApiRequest request) throws IOException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(connection.resolve(request.pathAndQuery()))
            .method(
                request.method(),
                request.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(request.body()))
            .header("User-Agent", USER_AGENT);
    request.headers().forEach(builder::header);
    connection.authorization().ifPresent(a -> builder.header("Authorization", a));
    if (request.timeout() != null && !request.timeout().isZero()) {
      builder.timeout(request.timeout());
    }
    HttpResponse<InputStream> response;
    try {
      response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException e) {
      throw ServerUnreachableException.refused(connection.hostPort(), e);
    } catch (HttpTimeoutException e) {
      throw new ServerUnreachableException(
          "Unable to connect to the server: net/http: request canceled "
              + "(Client.Timeout exceeded while awaiting headers)",
          e);
    } catch (SSLException e) {
      throw new ServerUnreachableException("Unable to connect to the server: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (IOException e) {
      // kubectl reports every transport failure of a request (a url.Error) this way, e.g. a
      // TLS 1.3 server that refuses the client certificate after the handshake.
      throw new ServerUnreachableException("Unable to connect to the server: " + e.getMessage(), e);
    }
    return new Response(response);
  }

  @Override
  public void close() {
    // HttpClient has no close() before Java 21; its threads are daemons.
  }

  private record Response(HttpResponse<InputStream> response) implements ApiResponse {
    @Override
    public int statusCode() {
      return response.statusCode();
    }

    @Override
    public Optional<String> header(String name) {
      return response.headers().firstValue(name);
    }

    @Override
    public InputStream body() {
      return response.body();
    }
  }
}
