package io.kubehop.bench;

import io.kubehop.client.rest.KubeconfigLoader;
import io.kubehop.client.stream.StreamingClient;
import io.kubehop.client.stream.Transport;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The suite's in-process measurements (issue 16, items 3 to 5), each printing one JSON object per
 * line on stdout (progress on stderr): {@code echo} (1-byte round trips through a tty session, or
 * through a TCP echo for the baseline), {@code setup} ({@code exec -- true} one after another) and
 * {@code concurrency} (sessions held open at rising levels, with each tier's footprint and the echo
 * latency at each). bench/interactive.sh starts the cluster and the baseline, and runs these.
 */
@Command(
    name = "kubehop-bench",
    mixinStandardHelpOptions = true,
    subcommands = {
      BenchMain.Echo.class,
      BenchMain.Setup.class,
      BenchMain.Concurrency.class,
      StoreBench.class
    })
public final class BenchMain {

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  /** Where the sessions go. */
  static class Target {
    @Option(names = "--kubeconfig", description = "The cluster's kubeconfig.")
    String kubeconfig;

    @Option(names = "--namespace", defaultValue = "default")
    String namespace;

    @Option(names = "--pod", defaultValue = "bench")
    String pod;

    @Option(names = "--container", defaultValue = "main")
    String container;

    @Option(
        names = "--transport",
        defaultValue = "websocket",
        description = "spdy or websocket (to the apiserver).")
    String transport;

    Transport transport() {
      return Transport.valueOf(transport.toUpperCase(Locale.ROOT));
    }

    StreamingClient client() throws Exception {
      if (kubeconfig == null) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--kubeconfig is required here");
      }
      return new StreamingClient(KubeconfigLoader.system().load(kubeconfig, null).connection());
    }

    TtySession open(StreamingClient client) throws Exception {
      return await(TtySession.open(client, transport(), namespace, pod, container));
    }
  }

  @Command(
      name = "echo",
      description = "1-byte round trips through one tty session, or a TCP echo.")
  static final class Echo implements Callable<Integer> {
    @CommandLine.Mixin Target target = new Target();

    @Option(names = "--tcp", description = "HOST:PORT of a TCP echo instead of a session.")
    String tcp;

    @Option(names = "--round-trips", defaultValue = "10000")
    int roundTrips;

    @Option(names = "--warm-up", defaultValue = "1000")
    int warmUp;

    @Override
    public Integer call() throws Exception {
      Latencies latencies = new Latencies(roundTrips);
      Latencies ignored = new Latencies(warmUp);
      if (tcp != null) {
        Vertx vertx = Vertx.vertx();
        try (TcpEcho echo =
            TcpEcho.connect(
                vertx,
                tcp.substring(0, tcp.lastIndexOf(':')),
                Integer.parseInt(tcp.substring(tcp.lastIndexOf(':') + 1)))) {
          echo.roundTrips(warmUp, ignored);
          echo.roundTrips(roundTrips, latencies);
        } finally {
          vertx.close().await(10, TimeUnit.SECONDS);
        }
        System.out.println("{\"kind\":\"echo\",\"peer\":\"tcp\"," + latencies.json() + "}");
        return 0;
      }
      try (StreamingClient client = target.client()) {
        TtySession session = target.open(client);
        try {
          session.roundTrips(warmUp, ignored);
          session.roundTrips(roundTrips, latencies);
        } finally {
          session.close();
          session.ended().await(10, TimeUnit.SECONDS);
        }
      }
      System.out.println(
          "{\"kind\":\"echo\",\"peer\":\"" + target.transport + "\"," + latencies.json() + "}");
      return 0;
    }
  }

  @Command(name = "setup", description = "exec -- true, one after another, in process.")
  static final class Setup implements Callable<Integer> {
    @CommandLine.Mixin Target target = new Target();

    @Option(names = "--count", defaultValue = "1000")
    int count;

    @Option(names = "--warm-up", defaultValue = "50")
    int warmUp;

    @Override
    public Integer call() throws Exception {
      Latencies latencies = new Latencies(count);
      String path =
          "/api/v1/namespaces/"
              + target.namespace
              + "/pods/"
              + target.pod
              + "/exec"
              + TtySession.execQuery(List.of("true"), target.container, false).encode();
      try (StreamingClient client = target.client()) {
        for (int i = 0; i < warmUp + count; i++) {
          long start = System.nanoTime();
          Arrivals out = new Arrivals();
          Promise<Void> done = Promise.promise();
          client
              .vertx()
              .getOrCreateContext()
              .runOnContext(
                  v ->
                      client.executor(target.transport(), path, null).stream(
                              new StreamOptions(false, true, true, false), null, out, out)
                          .onComplete(done));
          await(done.future());
          if (i >= warmUp) {
            latencies.add(System.nanoTime() - start);
          }
        }
      }
      System.out.println(
          "{\"kind\":\"setup\",\"peer\":\"" + target.transport + "\"," + latencies.json() + "}");
      return 0;
    }
  }

  @Command(
      name = "concurrency",
      description =
          "Holds rising numbers of tty sessions open; at each level, every tier's footprint and"
              + " the echo latency across the sessions.")
  static final class Concurrency implements Callable<Integer> {
    @CommandLine.Mixin Target target = new Target();

    @Option(names = "--levels", defaultValue = "100,500,1000,2000", split = ",")
    List<Integer> levels;

    @Option(names = "--round-trips", defaultValue = "2000")
    int roundTrips;

    @Option(
        names = "--pid",
        description = "TIER=PID of a tier process to measure (repeat).",
        required = true)
    Map<String, Long> pids = new LinkedHashMap<>();

    @Option(
        names = "--opening",
        defaultValue = "16",
        description = "Sessions being opened at once.")
    int opening;

    @Override
    public Integer call() throws Exception {
      List<TtySession> sessions = new ArrayList<>();
      try (StreamingClient client = target.client()) {
        try {
          System.out.println(level(0, List.of(), 0));
          for (int level : levels) {
            open(client, sessions, level);
            System.out.println(level(level, sessions, roundTrips));
          }
        } finally {
          // Every session at once, as a client killed with its sessions would: the time until
          // the last one has ended is the cluster's tear-down of the highest level.
          long closing = System.nanoTime();
          List<Future<Void>> ended = new ArrayList<>();
          for (TtySession s : sessions) {
            s.close();
            ended.add(s.ended());
          }
          Future.join(ended).await(300, TimeUnit.SECONDS);
          System.out.printf(
              "{\"kind\":\"teardown\",\"peer\":\"%s\",\"sessions\":%d,\"ms\":%d}%n",
              target.transport,
              sessions.size(),
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing));
        }
      }
      return 0;
    }

    private void open(StreamingClient client, List<TtySession> sessions, int level)
        throws Exception {
      Semaphore slots = new Semaphore(opening);
      List<Future<TtySession>> opened = new ArrayList<>();
      for (int i = sessions.size(); i < level; i++) {
        slots.acquire();
        Future<TtySession> f =
            TtySession.open(
                client, target.transport(), target.namespace, target.pod, target.container);
        f.onComplete(ar -> slots.release());
        opened.add(f);
      }
      for (Future<TtySession> f : opened) {
        sessions.add(await(f));
      }
      System.err.printf("%d sessions open%n", sessions.size());
    }

    private String level(int level, List<TtySession> sessions, int trips) throws Exception {
      Latencies latencies = new Latencies(trips);
      for (int i = 0; i < trips && !sessions.isEmpty(); i++) {
        latencies.add(sessions.get(i % sessions.size()).roundTrip());
      }
      List<String> tiers = new ArrayList<>();
      for (Map.Entry<String, Long> pid : pids.entrySet()) {
        tiers.add(TierStats.of(pid.getKey(), pid.getValue()).json());
      }
      return "{\"kind\":\"concurrency\",\"peer\":\""
          + target.transport
          + "\",\"sessions\":"
          + level
          + ","
          + latencies.json()
          + ",\"tiers\":["
          + String.join(",", tiers)
          + "]}";
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
