package io.kubehop.capture;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/capture-wire --listen HOST:PORT --upstream HOST:PORT --out DIR}: records every
 * upgraded connection that passes between a client and an apiserver as a golden hex file under
 * {@code DIR/spdy/} or {@code DIR/ws/}, until interrupted. docs/wire-captures.md shows the kubectl
 * commands that produced each golden file in the repository.
 */
public final class CaptureMain {

  private static final String USAGE =
      """
      Usage: capture-wire [--listen HOST:PORT] --upstream HOST:PORT --out DIR
      Proxies plain TCP from --listen (default 127.0.0.1:16443) to --upstream, and writes each upgraded connection
      (SPDY/3.1 or WebSocket) as DIR/spdy/NNN-VERB.hex or DIR/ws/NNN-VERB.hex, one frame per line.
      Point kubectl at it with --server http://HOST:PORT; Ctrl-C stops it.""";

  private CaptureMain() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> options = options(args);
    if (options == null || !options.containsKey("--upstream") || !options.containsKey("--out")) {
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    InetSocketAddress listen = address(options.getOrDefault("--listen", "127.0.0.1:16443"));
    InetSocketAddress upstream = address(options.get("--upstream"));
    Path out = Path.of(options.get("--out")).toAbsolutePath();
    RecordingProxy proxy =
        new RecordingProxy(
            listen, upstream, out, line -> System.out.println("capture-wire: " + line));
    int port = proxy.start();
    Runtime.getRuntime().addShutdownHook(new Thread(proxy::close, "capture-shutdown"));
    System.out.println(
        "kubehop capture-wire ready "
            + listen.getHostString()
            + ":"
            + port
            + " -> "
            + upstream.getHostString()
            + ":"
            + upstream.getPort()
            + ", writing "
            + out);
  }

  /** {@code --name value} pairs, or null on anything else ({@code --help} included). */
  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!List.of("--listen", "--upstream", "--out").contains(args[i]) || i + 1 == args.length) {
        return null;
      }
      options.put(args[i], args[i + 1]);
    }
    return options;
  }

  private static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try {
      return new InetSocketAddress(
          hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      System.err.println("capture-wire: " + hostPort + " is not HOST:PORT\n" + USAGE);
      System.exit(2);
      return null;
    }
  }
}
