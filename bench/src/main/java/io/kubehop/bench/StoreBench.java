package io.kubehop.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What a storage backend costs through the REST API (issue 17): pod create, get and list (of the
 * pods created) latency, and watch fan-out, the time from a create to each of W watchers' ADDED
 * event. Every apiserver given is measured operation by operation in turn (file, etcd, file,
 * etcd…), so that each sees the same machine load as the others: read the ratios. Plain HTTP, no
 * authentication: the apiservers run without TLS flags, so that storage is what differs.
 *
 * <p>Prints one JSON object per line: {@code {"kind":"store","backend":…,"op":"create"|"get"|
 * "list"|"watch",["watchers":W,]"n":…,"p50_us":…,…}}; for {@code watch} the samples are each
 * watcher's event after the create's response (negative when the event came first) and, as {@code
 * sinceRequest}, after the create was sent.
 */
@Command(
    name = "store",
    description =
        "Pod create/get/list latency and watch fan-out through the REST API of each apiserver given,"
            + " operation by operation in turn.")
final class StoreBench implements Callable<Integer> {

  private static final long TIMEOUT_SECONDS = 30;

  @Option(
      names = "--server",
      required = true,
      description = "NAME=URL of a plain-HTTP apiserver (repeat): e.g. file=http://127.0.0.1:6443.")
  Map<String, String> servers = new LinkedHashMap<>();

  @Option(
      names = "--pods",
      defaultValue = "500",
      description = "Pods created, then read and listed.")
  int pods;

  @Option(names = "--gets", defaultValue = "2000")
  int gets;

  @Option(names = "--lists", defaultValue = "50", description = "Lists of the --pods pods.")
  int lists;

  @Option(names = "--watchers", defaultValue = "1,10,100", split = ",")
  List<Integer> watchers;

  @Option(
      names = "--watch-creates",
      defaultValue = "50",
      description = "Creates per watcher level.")
  int watchCreates;

  @Option(
      names = "--warm-up",
      defaultValue = "300",
      description = "Untimed creates, gets and lists first (the JITs of both sides).")
  int warmUp;

  private Vertx vertx;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String run = Long.toString(System.currentTimeMillis(), 36);

  @Override
  public Integer call() throws Exception {
    vertx = Vertx.vertx();
    try {
      String warm = "warm-" + run;
      String ns = "store-" + run;
      for (String server : servers.values()) {
        createNamespace(server, warm);
        createNamespace(server, ns);
      }
      for (int i = 0; i < warmUp; i++) {
        for (String server : servers.values()) {
          call(HttpMethod.POST, server + podsPath(warm), pod("w-" + i), 201);
          call(HttpMethod.GET, server + podsPath(warm) + "/w-" + i, null, 200);
          if (i % 10 == 0) {
            call(HttpMethod.GET, server + podsPath(warm), null, 200);
          }
        }
      }
      Map<String, Latencies> create = perServer(pods);
      for (int i = 0; i < pods; i++) {
        for (Map.Entry<String, String> s : servers.entrySet()) {
          create
              .get(s.getKey())
              .add(timed(HttpMethod.POST, s.getValue() + podsPath(ns), pod("p-" + i), 201));
        }
      }
      print("create", "", create);
      Map<String, Latencies> get = perServer(gets);
      for (int i = 0; i < gets; i++) {
        for (Map.Entry<String, String> s : servers.entrySet()) {
          String url = s.getValue() + podsPath(ns) + "/p-" + (i % pods);
          get.get(s.getKey()).add(timed(HttpMethod.GET, url, null, 200));
        }
      }
      print("get", "", get);
      for (String server : servers.values()) {
        int items =
            new JsonObject(call(HttpMethod.GET, server + podsPath(ns), null, 200))
                .getJsonArray("items")
                .size();
        if (items != pods) {
          throw new IllegalStateException(server + " lists " + items + " pods, not " + pods);
        }
      }
      Map<String, Latencies> list = perServer(lists);
      for (int i = 0; i < lists; i++) {
        for (Map.Entry<String, String> s : servers.entrySet()) {
          list.get(s.getKey()).add(timed(HttpMethod.GET, s.getValue() + podsPath(ns), null, 200));
        }
      }
      print("list", ",\"pods\":" + pods, list);
      for (int w : watchers) {
        fanOut(w);
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    return 0;
  }

  /**
   * W watches on a fresh namespace of each apiserver, from its list's resourceVersion; then creates
   * one at a time, each apiserver in turn, each waiting for all W ADDED events.
   */
  private void fanOut(int w) throws Exception {
    String ns = "fan-" + w + "-" + run;
    HttpClientAgent watchClient =
        vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(w));
    Map<String, Pending> pending = new ConcurrentHashMap<>();
    try {
      List<Future<?>> opened = new ArrayList<>();
      for (String server : servers.values()) {
        createNamespace(server, ns);
        String rv =
            new JsonObject(call(HttpMethod.GET, server + podsPath(ns), null, 200))
                .getJsonObject("metadata")
                .getString("resourceVersion");
        String url = server + podsPath(ns) + "?watch=true&resourceVersion=" + rv;
        for (int i = 0; i < w; i++) {
          opened.add(watch(watchClient, url, pending));
        }
      }
      for (Future<?> f : opened) {
        f.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
      Map<String, Latencies> afterResponse = perServer(w * watchCreates);
      Map<String, Latencies> sinceRequest = perServer(w * watchCreates);
      for (int i = 0; i < watchCreates; i++) {
        for (Map.Entry<String, String> s : servers.entrySet()) {
          String name = s.getKey() + "-" + i;
          Pending p = new Pending(w);
          pending.put(name, p);
          long sent = System.nanoTime();
          call(HttpMethod.POST, s.getValue() + podsPath(ns), pod(name), 201);
          long answered = System.nanoTime();
          if (!p.done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException(
                s.getKey() + ": " + p.seen.get() + " of " + w + " watchers saw " + name);
          }
          pending.remove(name);
          for (long at : p.arrivals) {
            afterResponse.get(s.getKey()).add(at - answered);
            sinceRequest.get(s.getKey()).add(at - sent);
          }
        }
      }
      for (String backend : servers.keySet()) {
        System.out.println(
            "{\"kind\":\"store\",\"backend\":\""
                + backend
                + "\",\"op\":\"watch\",\"watchers\":"
                + w
                + ","
                + afterResponse.get(backend).json()
                + ",\"sinceRequest\":{"
                + sinceRequest.get(backend).json()
                + "}}");
      }
    } finally {
      watchClient.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** A watch whose ADDED events stamp their arrival on the create they belong to. */
  private Future<?> watch(HttpClientAgent watchClient, String url, Map<String, Pending> pending) {
    return watchClient
        .request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url))
        .compose(req -> req.send())
        .map(
            resp -> {
              if (resp.statusCode() != 200) {
                throw new IllegalStateException("watch " + url + ": " + resp.statusCode());
              }
              RecordParser.newDelimited("\n", resp)
                  .maxRecordSize(1 << 20)
                  .handler(
                      line -> {
                        long at = System.nanoTime();
                        String event = line.toString();
                        if (!event.startsWith("{\"type\":\"ADDED\"")) {
                          return;
                        }
                        Pending p = pending.get(name(event));
                        if (p != null) {
                          p.arrived(at);
                        }
                      });
              return resp;
            });
  }

  /** The object's metadata.name: the first "name" of an event (kind, apiVersion, metadata…). */
  static String name(String event) {
    int at = event.indexOf("\"name\":\"");
    if (at < 0) {
      return "";
    }
    int start = at + 8;
    return event.substring(start, event.indexOf('"', start));
  }

  /** One create's arrivals, one per watcher. */
  private static final class Pending {
    final long[] arrivals;
    final AtomicInteger seen = new AtomicInteger();
    final CountDownLatch done = new CountDownLatch(1);

    Pending(int watchers) {
      arrivals = new long[watchers];
    }

    void arrived(long at) {
      int i = seen.getAndIncrement();
      if (i < arrivals.length) {
        arrivals[i] = at;
        if (i == arrivals.length - 1) {
          done.countDown();
        }
      }
    }
  }

  private Map<String, Latencies> perServer(int capacity) {
    Map<String, Latencies> m = new LinkedHashMap<>();
    for (String backend : servers.keySet()) {
      m.put(backend, new Latencies(capacity));
    }
    return m;
  }

  private static void print(String op, String extra, Map<String, Latencies> latencies) {
    latencies.forEach(
        (backend, l) ->
            System.out.println(
                "{\"kind\":\"store\",\"backend\":\""
                    + backend
                    + "\",\"op\":\""
                    + op
                    + "\""
                    + extra
                    + ","
                    + l.json()
                    + "}"));
  }

  private void createNamespace(String server, String name) throws Exception {
    call(
        HttpMethod.POST,
        server + "/api/v1/namespaces",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}",
        201);
  }

  private static String podsPath(String ns) {
    return "/api/v1/namespaces/" + ns + "/pods";
  }

  /** A pod bound to a node that does not exist: no scheduler and no kubelet ever touches it. */
  static String pod(String name) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
        + name
        + "\",\"labels\":{\"app\":\"store-bench\"}},\"spec\":{\"nodeName\":\"store-bench-none\","
        + "\"containers\":[{\"name\":\"main\",\"image\":\"busybox\",\"command\":[\"sleep\",\"3600\"]}]}}";
  }

  private long timed(HttpMethod method, String url, String body, int status) throws Exception {
    long start = System.nanoTime();
    call(method, url, body, status);
    return System.nanoTime() - start;
  }

  /**
   * One request, its whole response body read; fails unless the status is {@code status}. The JDK's
   * client, one at a time on its kept-alive connection (Vert.x's client, with a pool of one, left a
   * GET unanswered for 30 s now and then in a run of thousands; the apiserver's log had no trace of
   * it, and curl on one connection saw nothing of the kind).
   */
  private String call(HttpMethod method, String url, String body, int status) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(TIMEOUT_SECONDS));
    if (body == null) {
      request.method(method.name(), HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method.name(), HttpRequest.BodyPublishers.ofString(body));
    }
    HttpResponse<String> resp = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() != status) {
      throw new IllegalStateException(
          method + " " + url + ": " + resp.statusCode() + " " + resp.body());
    }
    return resp.body();
  }
}
