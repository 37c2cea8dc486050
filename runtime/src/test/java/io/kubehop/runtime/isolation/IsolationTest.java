package io.kubehop.runtime.isolation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kubehop.runtime.process.LaunchSpec;
import io.kubehop.runtime.process.LaunchedProcess;
import io.kubehop.runtime.process.PipeProcessLauncher;
import io.kubehop.testkit.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers in namespaces of their own, started through {@link Isolation} as the runtime starts
 * them (nsenter, unshare, the init script), without the CRI around: hostname, PID 1, the image's
 * root, binds, exec, a shared PID namespace. Needs root, util-linux and a static busybox: under
 * {@code CI=true} a missing one fails the test.
 */
class IsolationTest {

  private static final Map<String, String> ENV =
      Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");

  @TempDir Path dir;

  private Isolation isolation;
  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    Tools.require(Path.of("/bin/busybox"), "busybox (Debian's busybox-static)");
    if (!"root".equals(System.getProperty("user.name"))) {
      if (Tools.onCi()) {
        fail("namespaces need root, and CI runs as root");
      }
      Assumptions.abort("namespaces need root");
    }
    isolation = Isolation.start(Isolation.Mode.NAMESPACES, dir.resolve("state"));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  @Test
  void hostnamesAreTruncatedAsTheKubeletDoes() {
    assertEquals("demo", Isolation.podHostname("demo"));
    String longName = "a".repeat(62) + "-b-c";
    assertEquals("a".repeat(62), Isolation.podHostname(longName));
  }

  @Test
  void onlyAStaticBusyboxRunsInAnEmptyRoot() {
    assertTrue(Isolation.staticallyLinked(Path.of("/bin/busybox")));
    assertFalse(Isolation.staticallyLinked(Path.of("/usr/bin/ls")));
    assertFalse(Isolation.staticallyLinked(dir));
  }

  @Test
  void aPathOfTheContainerIsFoundUnderTheLastBindThatCoversItElseInTheLayers() throws IOException {
    Path layer = Files.createDirectories(dir.resolve("layer/bin"));
    RootfsPlan plan =
        new RootfsPlan(
            dir.resolve("ctr"),
            dir.resolve("layer"),
            List.of(
                new Bind(Path.of("/usr"), "/usr", true),
                new Bind(dir.resolve("py"), "/usr/local/bin", true),
                new Bind(dir.resolve("cfg"), "/opt/", true)),
            "/");
    Files.createDirectories(plan.upper().resolve("etc"));
    Files.writeString(plan.upper().resolve("etc/hosts"), "x");
    assertEquals(Path.of("/usr/bin/env"), plan.hostPathOf("/usr/bin/env"));
    assertEquals(dir.resolve("py/python"), plan.hostPathOf("/usr/local/bin/python"));
    assertEquals(dir.resolve("cfg"), plan.hostPathOf("/opt"));
    assertEquals(dir.resolve("cfg/a/b"), plan.hostPathOf("/opt/a/b"));
    assertEquals(dir.resolve("layer/optx"), plan.hostPathOf("/optx"));
    assertEquals(plan.upper().resolve("etc/hosts"), plan.hostPathOf("/etc/hosts"));
    assertEquals(layer.resolve("sh"), plan.hostPathOf("/bin/sh"));
  }

  @Test
  void aContainerSeesItsPodsHostnameItselfAsPid1AndTheImagesRootOnly() throws Exception {
    PodNamespaces pod = pod("pod-a", false);
    Run run =
        container(
            pod,
            "busybox",
            List.of(),
            PidMode.CONTAINER,
            "/bin/sh",
            "-c",
            "hostname; echo $$; ls /; head -1 /etc/passwd; cat /proc/1/cmdline | tr '\\0' ' '");
    assertEquals(
        "pod-a\n1\nbin\ndev\netc\nhome\nmnt\nopt\nproc\nroot\nrun\nsbin\nsys\ntmp\nusr\nvar\n"
            + "root:x:0:0:root:/root:/bin/sh\n/bin/sh -c "
            + "hostname; echo $$; ls /; head -1 /etc/passwd; cat /proc/1/cmdline | tr '\\0' ' ' ",
        run.output());
    assertEquals(0, run.exitCode());
  }

  @Test
  void writesStayInTheContainerAndBindsAreMountedAsAsked() throws Exception {
    PodNamespaces pod = pod("pod-b", false);
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("in"), "from the host\n");
    Path token = Files.writeString(dir.resolve("token"), "s3cr3t");
    List<Bind> binds =
        List.of(
            new Bind(data, "/data", true),
            new Bind(token, "/etc/token", true),
            new Bind(Files.createDirectories(dir.resolve("scratch")), "/scratch", false));
    Run first =
        container(
            pod,
            "busybox",
            binds,
            PidMode.CONTAINER,
            "/bin/sh",
            "-c",
            "echo one > /tmp/mine; cat /data/in /etc/token; echo; touch /data/x 2>&1;"
                + " echo w > /scratch/w; ls /tmp");
    assertEquals(
        "from the host\ns3cr3t\ntouch: /data/x: Read-only file system\nmine\n", first.output());
    assertEquals("w\n", Files.readString(dir.resolve("scratch/w")));
    Run second = container(pod, "busybox", List.of(), PidMode.CONTAINER, "/bin/ls", "/tmp");
    assertEquals("", second.output());
    assertFalse(Files.exists(data.resolve("x")));
  }

  @Test
  void anExecEntersTheContainersNamespacesRootAndWorkingDirectory() throws Exception {
    PodNamespaces pod = pod("pod-c", false);
    Started sleeper =
        start(pod, "busybox", List.of(), PidMode.CONTAINER, "/tmp", "/bin/sleep", "30");
    LaunchSpec exec =
        Isolation.execLaunch(
            new LaunchSpec(
                List.of("/bin/sh", "-c", "pwd; hostname; ps -o pid,args | head -2"),
                ENV,
                Path.of("/"),
                false,
                false),
            sleeper.initPid(),
            true,
            "/tmp");
    Run run = Run.of(new PipeProcessLauncher().launch(exec));
    assertEquals("/tmp\npod-c\nPID   COMMAND\n    1 /bin/sleep 30\n", run.output());
    assertEquals(0, run.exitCode());
  }

  @Test
  void containersOfAPodSharingItsPidNamespaceSeeEachOtherUnderPause() throws Exception {
    PodNamespaces pod = pod("pod-d", true);
    start(pod, "busybox", List.of(), PidMode.POD, "/", "/bin/sleep", "31");
    Run run = container(pod, "busybox", List.of(), PidMode.POD, "/bin/sh", "-c", "ps -o pid,args");
    assertTrue(run.output().startsWith("PID   COMMAND\n    1 /pause\n"), run.output());
    assertTrue(run.output().contains(" /bin/sleep 31\n"), run.output());
    assertTrue(run.output().contains(" /bin/sh -c ps -o pid,args\n"), run.output());
  }

  @Test
  void thePythonImageRunsTheHostsPython3AsPython() throws Exception {
    Tools.require(Path.of("/usr/bin/python3"), "python3 (Debian's)");
    PodNamespaces pod = pod("pod-e", false);
    Run run =
        container(
            pod,
            "python",
            List.of(),
            PidMode.CONTAINER,
            "/usr/local/bin/python",
            "-c",
            "import os, socket; print(socket.gethostname(), os.getpid(), sorted(os.listdir('/')))");
    assertEquals(
        "pod-e 1 ['bin', 'dev', 'etc', 'home', 'lib', 'lib64', 'mnt', 'opt', 'proc', 'root',"
            + " 'run', 'sbin', 'sys', 'tmp', 'usr', 'var']\n",
        run.output());
  }

  private PodNamespaces pod(String hostname, boolean sharePid) throws IOException {
    PodNamespaces pod = isolation.startPod(hostname, sharePid);
    cleanup.add(pod);
    return pod;
  }

  private record Started(LaunchedProcess process, long initPid) {}

  private Started start(
      PodNamespaces pod,
      String image,
      List<Bind> extraBinds,
      PidMode pidMode,
      String workingDir,
      String... argv)
      throws IOException {
    ImageLayers.ImageFs fs = isolation.images().forImage(image);
    List<Bind> binds = new ArrayList<>(fs.binds());
    binds.addAll(extraBinds);
    Path ctr = Files.createTempDirectory(dir, "ctr");
    RootfsPlan plan = new RootfsPlan(ctr, fs.layer(), binds, workingDir);
    Files.createDirectories(plan.rootfs());
    Files.createDirectories(plan.upper());
    Files.createDirectories(plan.work());
    LaunchSpec spec =
        isolation.containerLaunch(
            new LaunchSpec(List.of(argv), ENV, Path.of(workingDir), false, false),
            plan,
            pod,
            pidMode);
    LaunchedProcess launched = new PipeProcessLauncher().launch(spec);
    cleanup.add(() -> ProcessHandle.of(launched.pid()).ifPresent(ProcessHandle::destroyForcibly));
    long init = isolation.awaitInit(launched.pid(), pidMode, pod);
    assertTrue(init > 0, "the container's PID 1 appeared");
    return new Started(launched, init);
  }

  private Run container(
      PodNamespaces pod, String image, List<Bind> binds, PidMode pidMode, String... argv)
      throws Exception {
    return Run.of(start(pod, image, binds, pidMode, "/", argv).process());
  }

  private record Run(String output, int exitCode) {
    static Run of(LaunchedProcess process) throws Exception {
      String out = new String(process.stdout().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(process.stderr().readAllBytes(), StandardCharsets.UTF_8);
      int code = process.onExit().get(30, TimeUnit.SECONDS);
      assertEquals("", err, "stderr, with stdout: " + out);
      return new Run(out, code);
    }
  }
}
