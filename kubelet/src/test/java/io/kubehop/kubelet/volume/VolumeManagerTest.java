package io.kubehop.kubelet.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubehop.api.core.Pod;
import io.kubehop.api.json.ApiJson;
import io.kubehop.kubelet.apiserver.ApiClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Volumes set up from configMaps and secrets served by a small HTTP server on loopback. */
class VolumeManagerTest {

  @TempDir Path pods;

  private Vertx vertx;
  private HttpServer server;
  private ApiClient api;
  private final Map<String, String> objects = new ConcurrentHashMap<>();
  private final List<String> gets = new CopyOnWriteArrayList<>();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T09:00:00Z"));
  private VolumeManager manager;

  static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server =
        await(
            vertx
                .createHttpServer()
                .requestHandler(
                    req -> {
                      gets.add(req.path());
                      String body = objects.get(req.path());
                      if (body == null) {
                        req.response().setStatusCode(404).end("{\"kind\":\"Status\",\"code\":404}");
                      } else {
                        req.response().putHeader("Content-Type", "application/json").end(body);
                      }
                    })
                .listen(0, "127.0.0.1"));
    api = new ApiClient(vertx, "http://127.0.0.1:" + server.actualPort());
    manager = new VolumeManager(vertx, api, pods, clock, Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** Runs on a context, as the kubelet does. */
  private <T> T onContext(java.util.function.Supplier<Future<T>> call) throws Exception {
    return await(
        Future.<Future<T>>future(p -> vertx.runOnContext(v -> p.complete(call.get())))
            .compose(f -> f));
  }

  static Pod pod(String volumes) throws Exception {
    return ApiJson.read(
        """
        {"metadata":{"name":"p","namespace":"ns","uid":"uid-1","labels":{"app":"web"}},
         "spec":{"containers":[{"name":"c"}],"volumes":%s}}
        """
            .formatted(volumes),
        Pod.class);
  }

  static final String ALL =
      """
      [{"name":"cfg","configMap":{"name":"game","items":[{"key":"lives","path":"conf/lives"},{"key":"bin","path":"bin","mode":256}]}},
       {"name":"sec","secret":{"secretName":"creds","defaultMode":384}},
       {"name":"scratch","emptyDir":{}},
       {"name":"info","downwardAPI":{"items":[{"path":"labels","fieldRef":{"fieldPath":"metadata.labels"}},{"path":"name","fieldRef":{"fieldPath":"metadata.name"},"mode":292}]}},
       {"name":"all","projected":{"defaultMode":416,"sources":[
          {"configMap":{"name":"game","items":[{"key":"lives","path":"lives"}]}},
          {"secret":{"name":"creds"}},
          {"downwardAPI":{"items":[{"path":"ns","fieldRef":{"fieldPath":"metadata.namespace"}}]}},
          {"serviceAccountToken":{"path":"token"}}]}}]
      """;

  private void serve() {
    objects.put(
        "/api/v1/namespaces/ns/configmaps/game",
        "{\"metadata\":{\"name\":\"game\"},\"data\":{\"lives\":\"3\"},\"binaryData\":{\"bin\":\"AAE=\"}}");
    objects.put(
        "/api/v1/namespaces/ns/secrets/creds",
        "{\"metadata\":{\"name\":\"creds\"},\"data\":{\"user\":\"YWRtaW4=\"}}");
  }

  private String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private Set<String> visible(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith(".."))
          .collect(Collectors.toSet());
    }
  }

  @Test
  void setsUpEveryKind() throws Exception {
    serve();
    Pod pod = pod(ALL);
    PodVolumes v = onContext(() -> manager.setUp(pod));
    Path vols = pods.resolve("uid-1/volumes");

    Path cfg = vols.resolve("kubernetes.io~configmap/cfg");
    assertEquals(new PodVolumes.Mounted(cfg, true), v.get("cfg"));
    assertEquals("rwxrwxrwx", mode(cfg));
    assertEquals(Set.of("conf", "bin"), visible(cfg));
    assertEquals("3", Files.readString(cfg.resolve("conf/lives")));
    assertEquals("rw-r--r--", mode(cfg.resolve("conf/lives")));
    assertEquals("r--------", mode(cfg.resolve("bin")));
    assertEquals(2, Files.size(cfg.resolve("bin")));

    Path sec = vols.resolve("kubernetes.io~secret/sec");
    assertEquals(Set.of("user"), visible(sec));
    assertEquals("admin", Files.readString(sec.resolve("user")));
    assertEquals("rw-------", mode(sec.resolve("user")));
    assertEquals(Path.of("..data/user"), Files.readSymbolicLink(sec.resolve("user")));

    Path scratch = vols.resolve("kubernetes.io~empty-dir/scratch");
    assertEquals(new PodVolumes.Mounted(scratch, false), v.get("scratch"));
    assertEquals("rwxrwxrwx", mode(scratch));

    Path info = vols.resolve("kubernetes.io~downward-api/info");
    assertEquals("app=\"web\"", Files.readString(info.resolve("labels")));
    assertEquals("rw-r--r--", mode(info.resolve("labels")));
    assertEquals("p", Files.readString(info.resolve("name")));
    assertEquals("r--r--r--", mode(info.resolve("name")));

    Path all = vols.resolve("kubernetes.io~projected/all");
    assertEquals(Set.of("lives", "user", "ns"), visible(all));
    assertEquals("3", Files.readString(all.resolve("lives")));
    assertEquals("admin", Files.readString(all.resolve("user")));
    assertEquals("ns", Files.readString(all.resolve("ns")));
    assertEquals("rw-r-----", mode(all.resolve("ns")));
    // One read per object, however many volumes use it.
    assertEquals(2, gets.size(), gets.toString());
  }

  @Test
  void aHostPathIsTheNodesOwnPathCheckedAsItsTypeSays() throws Exception {
    Path node = Files.createDirectories(pods.resolve("node-dir"));
    Path created = pods.resolve("made/here");
    Pod pod =
        pod(
            "[{\"name\":\"a\",\"hostPath\":{\"path\":\"%s\",\"type\":\"Directory\"}},"
                    .formatted(node)
                + "{\"name\":\"b\",\"hostPath\":{\"path\":\"%s\",\"type\":\"DirectoryOrCreate\"}}]"
                    .formatted(created));
    PodVolumes v = onContext(() -> manager.setUp(pod));
    assertEquals(new PodVolumes.Mounted(node, false), v.get("a"));
    assertEquals(new PodVolumes.Mounted(created, false), v.get("b"));
    assertTrue(Files.isDirectory(created));
    assertEquals(
        "rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(created)));

    Pod missing =
        pod(
            "[{\"name\":\"c\",\"hostPath\":{\"path\":\"%s\",\"type\":\"File\"}}]"
                .formatted(pods.resolve("absent")));
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> onContext(() -> manager.setUp(missing)));
    assertEquals(
        "MountVolume.SetUp failed for volume \"c\" : hostPath type check failed: "
            + pods.resolve("absent")
            + " is not a file",
        e.getCause().getMessage());
  }

  @Test
  void aMissingConfigMapHoldsThePodBackWithUpstreamsMessage() throws Exception {
    Pod pod = pod("[{\"name\":\"cfg\",\"configMap\":{\"name\":\"game\"}}]");
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> onContext(() -> manager.setUp(pod)));
    assertEquals(
        "MountVolume.SetUp failed for volume \"cfg\" : configmap \"game\" not found",
        e.getCause().getMessage());
    assertEquals(null, manager.current("uid-1"));
    // Once it exists, the next sync sets the volume up.
    serve();
    onContext(() -> manager.setUp(pod));
    assertEquals(
        "3", Files.readString(pods.resolve("uid-1/volumes/kubernetes.io~configmap/cfg/lives")));
  }

  @Test
  void aMissingKeyAndAMissingSecretAreReported() throws Exception {
    serve();
    Pod pod =
        pod(
            "[{\"name\":\"cfg\",\"configMap\":{\"name\":\"game\",\"items\":[{\"key\":\"x\",\"path\":\"x\"}]}}]");
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> onContext(() -> manager.setUp(pod)));
    assertEquals(
        "MountVolume.SetUp failed for volume \"cfg\" : configmap references non-existent config key: x",
        e.getCause().getMessage());
    Pod pod2 = pod("[{\"name\":\"s\",\"secret\":{\"secretName\":\"nope\"}}]");
    e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> onContext(() -> manager.setUp(pod2)));
    assertEquals(
        "MountVolume.SetUp failed for volume \"s\" : secret \"nope\" not found",
        e.getCause().getMessage());
  }

  @Test
  void optionalMissingObjectsAreEmptyVolumes() throws Exception {
    Pod pod =
        pod(
            "[{\"name\":\"cfg\",\"configMap\":{\"name\":\"game\",\"optional\":true}},"
                + "{\"name\":\"s\",\"secret\":{\"secretName\":\"creds\",\"optional\":true}}]");
    PodVolumes v = onContext(() -> manager.setUp(pod));
    assertEquals(Set.of(), visible(v.get("cfg").dir()));
    assertEquals(Set.of(), visible(v.get("s").dir()));
    assertTrue(Files.isSymbolicLink(v.get("cfg").dir().resolve("..data")));
  }

  @Test
  void refreshesAfterThePeriodAndKeepsContentWhenTheObjectGoes() throws Exception {
    serve();
    Pod pod = pod("[{\"name\":\"cfg\",\"configMap\":{\"name\":\"game\"}}]");
    onContext(() -> manager.setUp(pod));
    Path lives = pods.resolve("uid-1/volumes/kubernetes.io~configmap/cfg/lives");
    objects.put(
        "/api/v1/namespaces/ns/configmaps/game", "{\"data\":{\"lives\":\"4\",\"level\":\"9\"}}");
    onContext(() -> manager.setUp(pod));
    assertEquals("3", Files.readString(lives), "read again only after the refresh period");
    assertEquals(1, gets.size());
    clock.now = clock.now.plusSeconds(10);
    onContext(() -> manager.setUp(pod));
    assertEquals("4", Files.readString(lives));
    assertEquals("9", Files.readString(lives.resolveSibling("level")));
    objects.clear();
    clock.now = clock.now.plusSeconds(10);
    PodVolumes kept = onContext(() -> manager.setUp(pod));
    assertEquals("4", Files.readString(lives));
    assertEquals(kept, manager.current("uid-1"));
  }

  @Test
  void aLabelChangeRewritesTheDownwardApiAtOnce() throws Exception {
    String volumes =
        "[{\"name\":\"info\",\"downwardAPI\":{\"items\":[{\"path\":\"labels\","
            + "\"fieldRef\":{\"fieldPath\":\"metadata.labels\"}}]}}]";
    Pod pod = pod(volumes);
    onContext(() -> manager.setUp(pod));
    Path labels = pods.resolve("uid-1/volumes/kubernetes.io~downward-api/info/labels");
    assertEquals("app=\"web\"", Files.readString(labels));
    Pod relabelled =
        ApiJson.read(
            ApiJson.write(pod)
                .replace("{\"app\":\"web\"}", "{\"app\":\"web\",\"tier\":\"a \\\"b\\\"\"}"),
            Pod.class);
    onContext(() -> manager.setUp(relabelled));
    assertEquals("app=\"web\"\ntier=\"a \\\"b\\\"\"", Files.readString(labels));
  }

  @Test
  void tearDownAndOrphansRemoveThePodDirectory() throws Exception {
    Pod pod = pod("[{\"name\":\"scratch\",\"emptyDir\":{}}]");
    onContext(() -> manager.setUp(pod));
    Files.writeString(pods.resolve("uid-1/volumes/kubernetes.io~empty-dir/scratch/f"), "x");
    Files.createDirectories(pods.resolve("gone-uid/volumes"));
    onContext(() -> manager.removeOrphans(Set.of()));
    assertFalse(Files.exists(pods.resolve("gone-uid")));
    assertTrue(Files.exists(pods.resolve("uid-1")), "a pod the manager knows is kept");
    onContext(() -> manager.tearDown("uid-1"));
    assertFalse(Files.exists(pods.resolve("uid-1"), LinkOption.NOFOLLOW_LINKS));
  }
}
