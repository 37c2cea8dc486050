package io.kubehop.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What etcd itself recorded of the default namespace's pods, read through its JSON gateway ({@code
 * /v3/kv/range}, {@code /v3/watch} from a revision): the truth a client watch is held against. Each
 * write of a pod key is one {@link Event}, named as a watch names it (a put whose {@code
 * create_revision} is its {@code mod_revision} is {@code ADDED}, any other put {@code MODIFIED}, a
 * delete {@code DELETED}), with its revision, the object's resourceVersion.
 */
public final class EtcdHistory {

  private static final String PODS = "/registry/pods/default/";
  private static final Pattern LINE =
      Pattern.compile("(?m)^(ADDED|MODIFIED|DELETED)\\s+(\\S+)\\s+(\\d+)\\b");

  /** One write of a pod: {@code ADDED}, {@code MODIFIED} or {@code DELETED}. */
  public record Event(String type, String name, long revision) {
    @Override
    public String toString() {
      return type + " " + name + " " + revision;
    }
  }

  private final URI etcd;
  private final HttpClient http = HttpClient.newHttpClient();

  /** The etcd of the cluster under {@code home}, at the client port kept in {@code etcd/ports}. */
  public EtcdHistory(Path home) {
    try {
      String port = Files.readString(home.resolve("etcd/ports")).trim().split("\\s+")[0];
      this.etcd = URI.create("http://127.0.0.1:" + port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** etcd's client URL. */
  public URI url() {
    return etcd;
  }

  /** Whether etcd answers {@code /health} with 200. */
  public boolean healthy() {
    try {
      return http.send(
                  HttpRequest.newBuilder(etcd.resolve("/health"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** etcd's current revision: the next write gets a higher one. */
  public long revision() {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(etcd.resolve("/v3/kv/range"))
                  .timeout(Duration.ofSeconds(10))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + b64(PODS) + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError("etcd range: " + r.statusCode() + " " + r.body());
      }
      return Pods.tree(r.body()).path("header").path("revision").asLong();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Every write of a default-namespace pod from revision {@code from} on, in revision order, as
   * etcd's own watch replays them, once {@code complete} holds for what was read (within {@code
   * deadline}).
   */
  public List<Event> pods(long from, Predicate<List<Event>> complete, Duration deadline)
      throws InterruptedException {
    String create =
        "{\"create_request\":{\"key\":\"%s\",\"range_end\":\"%s\",\"start_revision\":\"%d\"}}"
            .formatted(b64(PODS), b64(PODS.substring(0, PODS.length() - 1) + "0"), from);
    HttpResponse<Stream<String>> watch;
    try {
      watch =
          http.send(
              HttpRequest.newBuilder(etcd.resolve("/v3/watch"))
                  .POST(HttpRequest.BodyPublishers.ofString(create))
                  .build(),
              HttpResponse.BodyHandlers.ofLines());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (watch.statusCode() != 200) {
      throw new AssertionError("etcd watch: " + watch.statusCode());
    }
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> watch.body().forEach(lines::add), "etcd-history");
    reader.setDaemon(true);
    reader.start();
    List<Event> events = new ArrayList<>();
    long end = System.nanoTime() + deadline.toNanos();
    try {
      while (!complete.test(events)) {
        String line = lines.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new AssertionError(
              "etcd's history from revision "
                  + from
                  + " incomplete after "
                  + deadline
                  + ": "
                  + events);
        }
        JsonNode result = Pods.tree(line).path("result");
        if (result.path("canceled").asBoolean()) {
          throw new AssertionError("etcd canceled the watch from revision " + from + ": " + line);
        }
        for (JsonNode e : result.path("events")) {
          events.add(event(e));
        }
      }
      return events;
    } finally {
      watch.body().close();
    }
  }

  private static Event event(JsonNode e) {
    JsonNode kv = e.path("kv");
    String key =
        new String(Base64.getDecoder().decode(kv.path("key").asText()), StandardCharsets.UTF_8);
    long rev = kv.path("mod_revision").asLong();
    String type =
        "DELETE".equals(e.path("type").asText())
            ? "DELETED"
            : kv.path("create_revision").asLong() == rev ? "ADDED" : "MODIFIED";
    return new Event(type, key.substring(PODS.length()), rev);
  }

  /**
   * The events in the output of {@code kubectl get pods -w --output-watch-events -o
   * custom-columns=EVENT:.type,NAME:.object.metadata.name,RV:.object.metadata.resourceVersion,…}.
   */
  public static List<Event> printed(String stdout) {
    List<Event> events = new ArrayList<>();
    Matcher m = LINE.matcher(stdout);
    while (m.find()) {
      events.add(new Event(m.group(1), m.group(2), Long.parseLong(m.group(3))));
    }
    return events;
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
