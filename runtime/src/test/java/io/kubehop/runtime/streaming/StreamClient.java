package io.kubehop.runtime.streaming;

import static io.kubehop.testkit.Await.await;

import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.remotecommand.ExitCodeException;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.kubehop.streaming.remotecommand.StreamProtocol;
import io.kubehop.streaming.remotecommand.client.SpdyExecutor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test client of the runtime's streaming server: the streaming module's {@link SpdyExecutor}
 * over TCP.
 */
public final class StreamClient implements AutoCloseable {

  private static final AtomicInteger SESSIONS = new AtomicInteger();

  /** A whole session, which may carry megabytes. */
  private static final Duration SESSION = Duration.ofSeconds(60);

  /**
   * How a remote command ended: its output and the error (null on success, ExitCodeException for a
   * code).
   */
  public record Result(String stdout, String stderr, Throwable error) {
    public int exitCode() {
      if (error == null) {
        return 0;
      }
      if (error instanceof ExitCodeException exit) {
        return exit.code();
      }
      throw new AssertionError("not an exit code: " + error, error);
    }
  }

  private final Vertx vertx;
  private final NetClient net;

  public StreamClient(Vertx vertx) {
    this.vertx = vertx;
    this.net = vertx.createNetClient();
  }

  /** Runs to the end with {@code stdin} (null: none) as the whole input. */
  public Result run(String url, StreamOptions options, String stdin) throws Exception {
    Path input = null;
    AsyncFile file = null;
    try {
      if (stdin != null) {
        input = Files.createTempFile("kubehop-stdin", ".txt");
        Files.writeString(input, stdin, StandardCharsets.UTF_8);
        file = await(vertx.fileSystem().open(input.toString(), new OpenOptions().setRead(true)));
      }
      CollectingSink out = CollectingSink.keeping(vertx);
      CollectingSink err = CollectingSink.keeping(vertx);
      Throwable error = null;
      try {
        await(
            stream(
                url, options, file, options.stdout() ? out : null, options.stderr() ? err : null),
            SESSION);
      } catch (ExecutionException e) {
        error = e.getCause();
      }
      return new Result(out.text(), err.text(), error);
    } finally {
      if (file != null) {
        file.close(); // piping into stdin does not close the source
      }
      if (input != null) {
        Files.deleteIfExists(input);
      }
    }
  }

  /**
   * Streams with the given local ends; completes (or fails with the outcome) when the command is
   * over.
   */
  public Future<Void> stream(
      String url,
      StreamOptions options,
      ReadStream<Buffer> stdin,
      WriteStream<Buffer> stdout,
      WriteStream<Buffer> stderr) {
    URI uri = URI.create(url);
    return new SpdyExecutor(vertx, net)
        .stream(
            new SpdyExecutor.Target(
                uri.getHost(),
                uri.getPort(),
                "POST",
                uri.getRawPath(),
                Map.of(StreamHeaders.SESSION, "test-" + SESSIONS.incrementAndGet())),
            options,
            stdin,
            stdout,
            stderr);
  }

  /** A session whose streams the test drives by hand (typing, resizing, leaving). */
  public Future<RawSession> open(String url, StreamOptions options, int width, int height) {
    return open(url, options, width, height, StreamProtocol.SPDY_CLIENT_DEFAULT);
  }

  /** The same, offering only {@code protocols} (an older client). */
  public Future<RawSession> open(
      String url, StreamOptions options, int width, int height, List<String> protocols) {
    return RawSession.open(vertx, net, url, options, width, height, protocols);
  }

  @Override
  public void close() throws Exception {
    await(net.close());
  }
}
