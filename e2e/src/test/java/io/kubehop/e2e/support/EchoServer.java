package io.kubehop.e2e.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A server in a pod's network (the pod IP is a loopback address of this machine, where the runtime
 * dials forwarded ports) that echoes every connection until EOF, then closes.
 */
public final class EchoServer implements AutoCloseable {
  private final ServerSocket server;

  public EchoServer(String podIp) throws IOException {
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getByName(podIp), 0));
    Thread acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket s = server.accept();
                  Thread echo =
                      new Thread(
                          () -> {
                            try (s;
                                InputStream in = s.getInputStream();
                                OutputStream out = s.getOutputStream()) {
                              in.transferTo(out);
                            } catch (IOException e) {
                              // the test sees it as missing bytes
                            }
                          },
                          "echo");
                  echo.setDaemon(true);
                  echo.start();
                } catch (IOException closed) {
                  return;
                }
              }
            },
            "echo-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
