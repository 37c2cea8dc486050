package io.kubehop.client.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.api.json.ApiJson;
import java.io.PrintStream;

/**
 * One line per traced frame: time, tier, direction, protocol, frame, stream or channel with its
 * type, flags, length, and the payload's first bytes, e.g.
 *
 * <pre>
 * 16:07:27.123 apiserver client->kubelet  spdy/3.1 DATA stream=3 stdin flags=0 len=3 "hi\n"
 * </pre>
 */
public final class FramePrinter {

  private final PrintStream out;

  public FramePrinter(PrintStream out) {
    this.out = out;
  }

  public void print(JsonNode e) {
    StringBuilder line = new StringBuilder();
    String time = e.path("time").asText();
    int t = time.indexOf('T');
    line.append(t >= 0 && time.length() >= t + 13 ? time.substring(t + 1, t + 13) : time);
    line.append(' ').append(pad(e.path("tier").asText(), 9));
    line.append(' ').append(pad(e.path("from").asText() + "->" + e.path("to").asText(), 18));
    String protocol = e.path("protocol").asText();
    line.append(' ').append(protocol.startsWith("websocket") ? "websocket" : protocol);
    if (e.has("error")) {
      out.println(line.append(" error: ").append(e.path("error").asText()));
      return;
    }
    line.append(' ').append(e.path("frame").asText());
    if (e.has("stream")) {
      line.append(" stream=").append(e.path("stream").asInt());
    }
    if (e.has("channel")) {
      line.append(" channel=").append(e.path("channel").asInt());
    }
    if (e.has("streamType")) {
      line.append(' ').append(e.path("streamType").asText());
    }
    if (e.path("closeSignal").asBoolean()) {
      line.append(" close-signal");
    }
    if (e.has("code")) {
      line.append(" code=").append(e.path("code").asInt());
    }
    if (e.has("flags")) {
      line.append(" flags=").append(e.path("flags").asInt());
    }
    if (e.has("length")) {
      line.append(" len=").append(e.path("length").asInt());
    }
    if (e.has("text")) {
      line.append(' ').append(ApiJson.write(e.path("text").asText()));
    } else if (e.has("hex")) {
      line.append(" hex:").append(e.path("hex").asText());
    }
    if (e.path("truncated").asBoolean()) {
      line.append("...");
    }
    out.println(line);
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
