package io.kubehop.streaming.trace;

import io.kubehop.streaming.websocket.ChannelCodec;
import io.kubehop.streaming.websocket.ChannelProtocol;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * Trace events for one direction of a channel.k8s.io WebSocket connection, one per message: its
 * frame type (binary, or text for the base64 protocols), channel and the channel's name, the
 * payload's length and first bytes, or the v5 close signal of a channel. Fed whole messages by the
 * connection that decodes them anyway ({@code ChannelConnection.tap}).
 */
public final class WebSocketMessageTap implements Consumer<Buffer> {

  private static final String[] CHANNELS = {"stdin", "stdout", "stderr", "error", "resize"};

  private final FrameTracer tracer;
  private final ChannelProtocol protocol;
  private final JsonObject base;

  public WebSocketMessageTap(
      FrameTracer tracer, String session, String from, String to, ChannelProtocol protocol) {
    this.tracer = tracer;
    this.protocol = protocol;
    this.base =
        new JsonObject()
            .put("session", session)
            .put("from", from)
            .put("to", to)
            .put("protocol", "websocket " + protocol.wireName());
  }

  @Override
  public void accept(Buffer message) {
    JsonObject event =
        base.copy()
            .put("time", FrameTracer.now())
            .put("frame", protocol.base64() ? "text" : "binary");
    ChannelCodec.Inbound decoded = ChannelCodec.decode(protocol, message);
    if (decoded instanceof ChannelCodec.Inbound.Data data) {
      channel(event, data.channel());
      event.put("length", data.payload().length());
      SpdyFrameTap.describe(
          data.payload().getBuffer(0, Math.min(SpdyFrameTap.PREVIEW, data.payload().length())),
          data.payload().length(),
          event);
    } else if (decoded instanceof ChannelCodec.Inbound.Close close) {
      channel(event, close.channel());
      event.put("closeSignal", true);
    } else {
      event.put("length", message.length());
      SpdyFrameTap.describe(
          message.getBuffer(0, Math.min(SpdyFrameTap.PREVIEW, message.length())),
          message.length(),
          event);
    }
    tracer.record(event);
  }

  /** The close frame {@code from} sent, with its status code (null: the connection just ended). */
  public void closed(Short code) {
    JsonObject event = base.copy().put("time", FrameTracer.now()).put("frame", "close");
    if (code != null) {
      event.put("code", code.intValue());
    }
    tracer.record(event);
  }

  private static void channel(JsonObject event, int channel) {
    event.put("channel", channel);
    if (channel < CHANNELS.length) {
      event.put("streamType", CHANNELS[channel]);
    }
  }
}
