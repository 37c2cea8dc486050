package io.kubehop.capture;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.Deflater;

/**
 * Just enough apiserver for kubectl exec, on plain JDK sockets, so that the capture tool's test
 * needs nothing of kubehop's own codecs: legacy discovery, a Running pod {@code demo}, and the exec
 * upgrade in both transports.
 *
 * <ul>
 *   <li>SPDY/3.1: every SYN_STREAM gets a SYN_REPLY with an empty header block. Once the three
 *       streams of an exec without stdin are open (error, stdout, stderr, the order client-go opens
 *       them in), it writes {@code hi\n} on stdout, ends stdout and stderr, and writes Success on
 *       the error stream.
 *   <li>WebSocket {@code v5.channel.k8s.io}: an empty stdout message first, as upstream's server
 *       sends; then stdin echoed on stdout until the client's close signal {@code ff 00}; then
 *       Success on channel 3 and a close frame.
 * </ul>
 */
final class FakeExecServer implements Closeable {

  static final String SUCCESS = "{\"metadata\":{},\"status\":\"Success\"}";
  private static final String POD_PATH = "/api/v1/namespaces/default/pods/demo";
  private static final String RESOURCES =
      "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
          + "{\"name\":\"pods\",\"singularName\":\"pod\",\"namespaced\":true,\"kind\":\"Pod\","
          + "\"verbs\":[\"get\",\"list\"]},"
          + "{\"name\":\"pods/exec\",\"singularName\":\"\",\"namespaced\":true,\"kind\":\"PodExecOptions\","
          + "\"verbs\":[\"create\",\"get\"]}]}";
  private static final String POD =
      "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"demo\","
          + "\"namespace\":\"default\"},\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"busybox\"}]},"
          + "\"status\":{\"phase\":\"Running\"}}";

  private final ServerSocket server;

  FakeExecServer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket s = server.accept();
                  Thread t = new Thread(() -> serve(s), "fake-exec-server");
                  t.setDaemon(true);
                  t.start();
                } catch (IOException e) {
                  return; // closed
                }
              }
            },
            "fake-exec-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      HttpHead head;
      while ((head = readHead(in)) != null) { // kubectl keeps connections alive across its GETs
        String path = head.path();
        if (path.equals(POD_PATH + "/exec")) {
          if (head.value("Upgrade").equalsIgnoreCase("websocket")) {
            webSocket(head, new DataInputStream(in), out);
          } else {
            spdy(head, new DataInputStream(in), out);
          }
          return;
        }
        switch (path) {
          case "/api" ->
              json(
                  out,
                  200,
                  "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],"
                      + "\"serverAddressByClientCIDRs\":[{\"clientCIDR\":\"0.0.0.0/0\","
                      + "\"serverAddress\":\"127.0.0.1:"
                      + port()
                      + "\"}]}");
          case "/apis" ->
              json(out, 200, "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}");
          case "/api/v1" -> json(out, 200, RESOURCES);
          case POD_PATH -> json(out, 200, POD);
          default ->
              json(
                  out,
                  404,
                  "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                      + "\"message\":\"the server could not find the requested resource\",\"reason\":\"NotFound\","
                      + "\"code\":404}");
        }
      }
    } catch (IOException e) {
      // the client went away; kubectl's exit code tells the test what it needs
    }
  }

  private static HttpHead readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      byte[] bytes = head.toByteArray();
      if (HttpHead.end(bytes, bytes.length) > 0) {
        return HttpHead.parse(bytes, bytes.length);
      }
    }
    return null;
  }

  private static void json(OutputStream out, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    out.write(
        ("HTTP/1.1 "
                + status
                + (status == 200 ? " OK" : " Not Found")
                + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + b.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.write(b);
    out.flush();
  }

  private static void spdy(HttpHead head, DataInputStream in, OutputStream out) throws IOException {
    out.write(
        ("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                + "X-Stream-Protocol-Version: "
                + head.values("X-Stream-Protocol-Version").get(0)
                + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    // No dictionary: a zlib reader given SPDY's dictionary only uses it when the stream's header
    // asks for it.
    Deflater headerCompressor = new Deflater();
    List<Integer> streams = new ArrayList<>();
    byte[] header = new byte[8];
    while (true) {
      try {
        in.readFully(header);
      } catch (EOFException e) {
        return; // kubectl closed after RST_STREAM and GOAWAY
      }
      byte[] body = in.readNBytes(FrameSplitter.u24(header, 5));
      boolean synStream = (header[0] & 0x80) != 0 && FrameSplitter.u16(header, 2) == 1;
      if (!synStream) {
        continue;
      }
      int id = FrameSplitter.i32(body, 0) & 0x7fffffff;
      streams.add(id);
      out.write(synReply(id, headerCompressor));
      if (streams.size() == 3) {
        out.write(data(streams.get(1), 0, "hi\n"));
        out.write(data(streams.get(1), 1, ""));
        out.write(data(streams.get(2), 1, ""));
        out.write(data(streams.get(0), 0, SUCCESS));
        out.write(data(streams.get(0), 1, ""));
      }
      out.flush();
    }
  }

  private static byte[] synReply(int id, Deflater compressor) {
    compressor.setInput(new byte[4]); // a header block of zero name/value pairs
    byte[] block = new byte[64];
    int n = compressor.deflate(block, 0, block.length, Deflater.SYNC_FLUSH);
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.writeBytes(new byte[] {(byte) 0x80, 3, 0, 2, 0, 0, 0, (byte) (4 + n)});
    f.writeBytes(int32(id));
    f.write(block, 0, n);
    return f.toByteArray();
  }

  private static byte[] data(int id, int flags, String payload) {
    byte[] p = payload.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.writeBytes(int32(id));
    f.writeBytes(
        new byte[] {
          (byte) flags, (byte) (p.length >> 16), (byte) (p.length >> 8), (byte) p.length
        });
    f.writeBytes(p);
    return f.toByteArray();
  }

  private static byte[] int32(int v) {
    return new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
  }

  private static void webSocket(HttpHead head, DataInputStream in, OutputStream out)
      throws IOException {
    out.write(
        ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: "
                + accept(head.value("Sec-WebSocket-Key"))
                + "\r\n"
                + "Sec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    send(out, 0x82, new byte[] {1});
    while (true) {
      int b0 = in.readUnsignedByte();
      int b1 = in.readUnsignedByte();
      int length = b1 & 0x7f;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = (int) in.readLong();
      }
      byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : new byte[4];
      byte[] payload = in.readNBytes(length);
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= mask[i & 3];
      }
      int opcode = b0 & 0x0f;
      if (opcode == 8) {
        return; // the client answered our close
      }
      if (opcode == 2 && payload.length > 0 && payload[0] == 0) {
        byte[] stdout = payload.clone();
        stdout[0] = 1;
        send(out, 0x82, stdout);
      } else if (opcode == 2 && Arrays.equals(payload, new byte[] {(byte) 0xff, 0})) {
        send(out, 0x82, ("\u0003" + SUCCESS).getBytes(StandardCharsets.UTF_8));
        send(out, 0x88, new byte[] {0x03, (byte) 0xe8}); // close, 1000
      }
    }
  }

  /** An unmasked server frame; payloads here stay under 126 bytes. */
  private static void send(OutputStream out, int b0, byte[] payload) throws IOException {
    out.write(b0);
    out.write(payload.length);
    out.write(payload);
    out.flush();
  }

  private static String accept(String key) {
    try {
      byte[] sha1 =
          MessageDigest.getInstance("SHA-1")
              .digest(
                  (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                      .getBytes(StandardCharsets.ISO_8859_1));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
