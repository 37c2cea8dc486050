package io.kubehop.apiserver.ui;

import io.kubehop.streaming.record.SessionRecorder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code /ui}: the live web view of every session's hop chain. The page and its scripts are files
 * of this jar (the asciinema player is a committed, versioned build), so nothing is fetched at run
 * time; {@code /ui/events} streams the chains ({@link SessionChainFeed}), {@code
 * /ui/recordings/SESSION.cast} serves a recording for the page's player. Every path goes through
 * the same authentication and authorization as the API.
 */
public final class WebView {

  /** The path the page lives under. */
  public static final String PREFIX = "/ui";

  private static final Pattern RECORDING = Pattern.compile("[a-z0-9][a-z0-9-]{0,80}\\.cast");

  /** Path under {@code /ui/} → resource and its content type. */
  private static final Map<String, String[]> FILES =
      Map.of(
          "",
          new String[] {"index.html", "text/html; charset=utf-8"},
          "app.js",
          new String[] {"app.js", "text/javascript; charset=utf-8"},
          "app.css",
          new String[] {"app.css", "text/css; charset=utf-8"},
          "asciinema-player.min.js",
          new String[] {"asciinema-player.min.js", "text/javascript; charset=utf-8"},
          "asciinema-player.css",
          new String[] {"asciinema-player.css", "text/css; charset=utf-8"});

  private final SessionChainFeed feed;
  private final Supplier<SessionRecorder> recorder;
  private final Map<String, Buffer> contents = new HashMap<>();

  public WebView(SessionChainFeed feed, Supplier<SessionRecorder> recorder) {
    this.feed = feed;
    this.recorder = recorder;
    for (String[] file : FILES.values()) {
      contents.put(file[0], load(file[0]));
    }
  }

  /** Whether {@code path} is the web view's. */
  public static boolean owns(String path) {
    return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
  }

  public void handle(HttpServerRequest req) {
    HttpServerResponse resp = req.response();
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      resp.setStatusCode(405).putHeader("Allow", "GET, HEAD").end();
      return;
    }
    String path = req.path();
    if (path.equals(PREFIX)) {
      resp.setStatusCode(301).putHeader("Location", PREFIX + "/").end();
      return;
    }
    String rest = path.substring(PREFIX.length() + 1);
    if (rest.equals("events")) {
      feed.watch(resp);
      return;
    }
    if (rest.startsWith("recordings/")) {
      recording(rest.substring("recordings/".length()), resp);
      return;
    }
    String[] file = FILES.get(rest);
    if (file == null) {
      notFound(resp);
      return;
    }
    resp.putHeader("Content-Type", file[1])
        .putHeader("Cache-Control", "no-cache")
        // the page's own files only: no script or style from anywhere else, no framing
        .putHeader(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data:;"
                + " style-src 'self' 'unsafe-inline'; worker-src 'self' blob:;"
                + " frame-ancestors 'none'")
        .putHeader("X-Content-Type-Options", "nosniff")
        .end(contents.get(file[0]));
  }

  private void recording(String name, HttpServerResponse resp) {
    Path dir = recorder.get().dir();
    if (dir == null || !RECORDING.matcher(name).matches()) {
      notFound(resp);
      return;
    }
    resp.putHeader("Content-Type", "application/x-asciicast")
        .putHeader("Cache-Control", "no-store")
        .sendFile(dir.resolve(name).toString())
        .onFailure(e -> notFound(resp));
  }

  private static void notFound(HttpServerResponse resp) {
    if (!resp.headWritten()) {
      resp.setStatusCode(404)
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("not found\n");
    }
  }

  private static Buffer load(String name) {
    try (InputStream in = WebView.class.getResourceAsStream("/ui/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks ui/" + name);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
