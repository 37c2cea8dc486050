package io.kubehop.streaming.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.streaming.websocket.ChannelProtocol;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One event per channel message: channel, its name, payload, the v5 close signal, the close. */
class WebSocketMessageTapTest {

  @Test
  void channelMessagesCloseSignalAndClose(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("frames.jsonl");
    FrameTracer tracer = FrameTracer.to(file, "apiserver", FrameTracer.ALL);
    WebSocketMessageTap tap =
        new WebSocketMessageTap(tracer, "s-3", "client", "apiserver", ChannelProtocol.V5);
    tap.accept(Buffer.buffer().appendByte((byte) 0).appendString("hi\n"));
    tap.accept(Buffer.buffer().appendByte((byte) 0xff).appendByte((byte) 0));
    tap.closed((short) 1000);
    tracer.close();

    List<JsonObject> events = Files.readAllLines(file).stream().map(JsonObject::new).toList();
    assertEquals(3, events.size(), events.toString());
    JsonObject stdin = events.get(0);
    assertEquals("websocket v5.channel.k8s.io", stdin.getString("protocol"));
    assertEquals("binary", stdin.getString("frame"));
    assertEquals(0, stdin.getInteger("channel"));
    assertEquals("stdin", stdin.getString("streamType"));
    assertEquals(3, stdin.getInteger("length"));
    assertEquals("hi\n", stdin.getString("text"));
    assertEquals(0, events.get(1).getInteger("channel"));
    assertTrue(events.get(1).getBoolean("closeSignal"));
    assertEquals("close", events.get(2).getString("frame"));
    assertEquals(1000, events.get(2).getInteger("code"));
    assertEquals("client", events.get(2).getString("from"));
  }
}
