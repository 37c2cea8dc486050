package io.kubehop.streaming.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.streaming.httpstream.HeaderBlock;
import io.kubehop.streaming.spdy.frame.SpdyFrame;
import io.kubehop.streaming.spdy.frame.SpdyFrameEncoder;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SPDY bytes of a {@code kubectl exec -it … -- sh -c 'stty size; echo hi; exit 2'} as a tier in
 * the middle relays them, made by two encoders (each direction has its own header compression), and
 * the recording made of them.
 */
class SpdyRecordingTapTest {

  @TempDir Path dir;

  private final SpdyFrameEncoder client = new SpdyFrameEncoder();
  private final SpdyFrameEncoder server = new SpdyFrameEncoder();

  private static SpdyFrame syn(int id, String type) {
    return SpdyFrame.SynStream.of(id, HeaderBlock.of("streamtype", type));
  }

  private static SpdyFrame data(int id, String text) {
    return new SpdyFrame.Data(id, false, Buffer.buffer(text));
  }

  private Path record(String session, Consumer<SpdyRecordingTap> traffic) throws Exception {
    SessionRecorder recorder = SessionRecorder.to(dir);
    SpdyRecordingTap tap =
        new SpdyRecordingTap(
            recorder.open(
                new RecordingInfo(
                    session,
                    "exec",
                    "default/demo",
                    "c",
                    List.of("sh", "-c", "stty size; echo hi; exit 2"),
                    "alice")));
    traffic.accept(tap);
    tap.close();
    recorder.close();
    return dir.resolve(session + ".cast");
  }

  private static List<String> lines(Path file) throws Exception {
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .map(l -> l.replaceFirst("^\\[\\d+\\.\\d{6},", "[T,"))
        .toList();
  }

  @Test
  void stdinIsInputStdoutIsOutputSizesAreTheHeaderAndResizesAndTheStatusIsTheExit()
      throws Exception {
    Path file =
        record(
            "tap-1",
            tap -> {
              Consumer<Buffer> up = tap.towardBackend();
              Consumer<Buffer> down = tap.towardClient();
              up.accept(
                  Buffer.buffer()
                      .appendBuffer(client.encode(syn(1, "error")))
                      .appendBuffer(client.encode(syn(3, "stdin")))
                      .appendBuffer(client.encode(syn(5, "stdout")))
                      .appendBuffer(client.encode(syn(7, "resize"))));
              down.accept(server.encode(new SpdyFrame.SynReply(1, 0, HeaderBlock.EMPTY)));
              // the first size, one byte at a time: frames cut anywhere are reassembled
              Buffer size = client.encode(data(7, "{\"Width\":101,\"Height\":37}"));
              for (int i = 0; i < size.length(); i++) {
                up.accept(size.getBuffer(i, i + 1));
              }
              down.accept(server.encode(data(5, "37 101\r\n")));
              up.accept(client.encode(data(7, "{\"Width\":120,\"Height\":40}")));
              up.accept(client.encode(data(3, "x")));
              down.accept(server.encode(data(5, "hi\r\n")));
              down.accept(
                  server.encode(
                      data(
                          1,
                          "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated"
                              + " with non-zero exit code: exit status 2\",\"reason\":"
                              + "\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":"
                              + "\"ExitCode\",\"message\":\"2\"}]}}")));
              down.accept(server.encode(SpdyFrame.Data.finOf(1)));
            });
    List<String> lines = lines(file);
    assertTrue(
        lines.get(0).startsWith("{\"version\":2,\"width\":101,\"height\":37,"), lines.get(0));
    assertTrue(lines.get(0).contains("\"user\":\"alice\""), lines.get(0));
    assertEquals(
        List.of(
            "[T,\"o\",\"37 101\\r\\n\"]",
            "[T,\"r\",\"120x40\"]",
            "[T,\"i\",\"x\"]",
            "[T,\"o\",\"hi\\r\\n\"]",
            "[T,\"x\",\"2\"]"),
        lines.subList(1, lines.size()));
  }

  @Test
  void aSessionCutOffBeforeItsStatusSaysSoInsteadOfAnExitCode() throws Exception {
    Path file =
        record(
            "tap-2",
            tap -> {
              tap.towardBackend()
                  .accept(
                      Buffer.buffer()
                          .appendBuffer(client.encode(syn(1, "error")))
                          .appendBuffer(client.encode(syn(3, "stdout"))));
              tap.towardClient().accept(server.encode(data(3, "partial")));
            });
    List<String> lines = lines(file);
    assertEquals(
        List.of(
            "[T,\"o\",\"partial\"]",
            "[T,\"m\",\"kubehop: the session ended without an exit status\"]"),
        lines.subList(1, lines.size()));
  }

  @Test
  void bytesThatAreNotSpdyEndTheRecordingWithAMarkerOnly() throws Exception {
    Path file =
        record(
            "tap-3",
            tap -> {
              tap.towardBackend()
                  .accept(Buffer.buffer(new byte[] {(byte) 0x80, 2, 0, 1, 0, 0, 0, 0}));
              tap.towardClient().accept(server.encode(data(3, "never seen")));
            });
    List<String> lines = lines(file);
    assertEquals(2, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(1).startsWith("[T,\"m\",\"kubehop: recording stopped: "), lines.get(1));
  }
}
