package io.kubehop.runtime.image;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kubehop.runtime.Signals;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * What the {@code nginx} image runs here: a tiny HTTP server (a separate JVM started by the
 * runtime, so nothing is pulled) that serves nginx's "Welcome to nginx!" page at {@code /} and 404
 * elsewhere, on the pod IP at each container port. It logs one access line per request to stdout,
 * as nginx does, and exits 0 on SIGTERM.
 *
 * <p>Usage: {@code NginxServer <ip> <port>...}
 */
public final class NginxServer {

  /** The body nginx serves at / out of the box (nginx 1.27's index.html). */
  public static final String WELCOME_PAGE =
      """
      <!DOCTYPE html>
      <html>
      <head>
      <title>Welcome to nginx!</title>
      <style>
      html { color-scheme: light dark; }
      body { width: 35em; margin: 0 auto;
      font-family: Tahoma, Verdana, Arial, sans-serif; }
      </style>
      </head>
      <body>
      <h1>Welcome to nginx!</h1>
      <p>If you see this page, the nginx web server is successfully installed and
      working. Further configuration is required.</p>

      <p>For online documentation and support please refer to
      <a href="http://nginx.org/">nginx.org</a>.<br/>
      Commercial support is available at
      <a href="http://nginx.com/">nginx.com</a>.</p>

      <p><em>Thank you for using nginx.</em></p>
      </body>
      </html>
      """;

  /** nginx's 404 body. */
  public static final String NOT_FOUND_PAGE =
      """
      <html>
      <head><title>404 Not Found</title></head>
      <body>
      <center><h1>404 Not Found</h1></center>
      <hr><center>nginx</center>
      </body>
      </html>
      """;

  private static final DateTimeFormatter ACCESS_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/uuuu:HH:mm:ss Z");

  private NginxServer() {}

  /** Starts one listener per port and waits until SIGTERM/SIGINT. */
  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length < 2) {
      System.err.println("usage: NginxServer <ip> <port>...");
      System.exit(2);
    }
    List<HttpServer> servers = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(args[0], Integer.parseInt(args[i])), 64);
      server.createContext("/", NginxServer::handle);
      server.start();
      servers.add(server);
      System.out.println("nginx: listening on " + args[0] + ":" + args[i]);
    }
    CountDownLatch stop = new CountDownLatch(1);
    // nginx answers SIGTERM with a fast shutdown and exit status 0
    Signals.onTerminate(stop::countDown);
    stop.await();
    servers.forEach(server -> server.stop(0));
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }

  private static void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    boolean found = path.equals("/") || path.equals("/index.html");
    byte[] body = (found ? WELCOME_PAGE : NOT_FOUND_PAGE).getBytes(StandardCharsets.UTF_8);
    int status = found ? 200 : 404;
    exchange.getResponseHeaders().set("Server", "nginx");
    exchange.getResponseHeaders().set("Content-Type", "text/html");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
    String agent = String.valueOf(exchange.getRequestHeaders().getFirst("User-Agent"));
    System.out.println(
        exchange.getRemoteAddress().getAddress().getHostAddress()
            + " - - ["
            + ACCESS_TIME.format(ZonedDateTime.now(ZoneOffset.UTC))
            + "] \""
            + exchange.getRequestMethod()
            + " "
            + exchange.getRequestURI()
            + " "
            + exchange.getProtocol()
            + "\" "
            + status
            + " "
            + body.length
            + " \"-\" \""
            + agent
            + "\"");
  }
}
