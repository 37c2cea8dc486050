package io.kubehop.streaming.proxy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket client on a plain socket that reads like a slow terminal: in order, a few KiB at a
 * time at a capped rate, so back-pressure reaches the server through TCP (as with kubectl), with no
 * client-side queue that could hide or drop data. It counts stdout payload bytes and answers the
 * server's close frame.
 */
final class SlowRawWebSocket {

  final AtomicLong stdout = new AtomicLong();
  final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final Socket socket;
  private final OutputStream out;

  SlowRawWebSocket(int port, String uri, long bytesPerSecond) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setReceiveBufferSize(64 * 1024);
    out = socket.getOutputStream();
    out.write(
        ("GET "
                + uri
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    DataInputStream in = new DataInputStream(socket.getInputStream());
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      head.append((char) in.readUnsignedByte());
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      throw new IOException("no upgrade: " + head);
    }
    Thread reader = new Thread(() -> read(in, bytesPerSecond), "slow-ws-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Sends one masked binary message (mask 0: the payload goes as it is). */
  synchronized void send(byte[] message) throws IOException {
    out.write(0x82);
    if (message.length < 126) {
      out.write(0x80 | message.length);
    } else {
      out.write(0x80 | 126);
      out.write(message.length >> 8);
      out.write(message.length & 0xff);
    }
    out.write(new byte[4]);
    out.write(message);
    out.flush();
  }

  private void read(DataInputStream in, long bytesPerSecond) {
    long start = System.nanoTime();
    long read = 0;
    try (socket) {
      while (true) {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
          len = in.readUnsignedShort();
        } else if (len == 127) {
          len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        for (int off = 0; off < len; ) {
          int n = in.read(payload, off, (int) Math.min(4096, len - off));
          if (n < 0) {
            throw new IOException("eof inside a frame");
          }
          off += n;
          read += n;
          long due = start + read * 1_000_000_000L / bytesPerSecond;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(
                wait / 1_000_000,
                (int) (wait % 1_000_000)); // the reader's pace, not synchronisation
          }
        }
        int opcode = b0 & 0x0f;
        if (opcode == 2 && len > 0 && payload[0] == 1) {
          stdout.addAndGet(len - 1);
        } else if (opcode == 8) {
          int code = len >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
          synchronized (this) {
            out.write(new byte[] {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, payload[0], payload[1]});
            out.flush();
          }
          closeCode.complete(code);
          return;
        }
      }
    } catch (Exception e) {
      closeCode.completeExceptionally(e);
    }
  }
}
