package io.kubehop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.e2e.support.KubehopCluster;
import io.kubehop.e2e.support.Pods;
import io.kubehop.testkit.Await;
import io.kubehop.testkit.Kubectl;
import io.kubehop.testkit.ProcessResult;
import io.kubehop.testkit.RunningCommand;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pods that look like pods from inside, through stock kubectl: each container has its pod's
 * hostname, its own PID namespace and the image's root filesystem (the runtime isolates containers
 * with Linux namespaces); ConfigMap, Secret and emptyDir volumes behave as in Kubernetes; and a
 * port-forward scenario shaped like the Python client's {@code test_portforward_raw} runs: a
 * ConfigMap-mounted Python server on two ports behind a startupProbe, raw bytes both ways.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodsLikePodsIT {

  private KubehopCluster cluster;
  private Pods pods;

  @TempDir Path tmp;

  @BeforeAll
  void up() {
    cluster = KubehopCluster.up();
    pods = new Pods(cluster);
  }

  @AfterAll
  void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private ProcessResult ok(ProcessResult result) {
    assertThat(result.exitCode()).as("%s\n%s", result, cluster.logs()).isZero();
    return result;
  }

  private void apply(String manifest) throws Exception {
    Path file = Files.createTempFile(tmp, "manifest", ".yaml");
    Files.writeString(file, manifest);
    ok(cluster.kubectl("1.33").run("apply", "-f", file.toString()));
  }

  private void awaitReady(String pod) {
    Await.until(
        pod + " Ready",
        Duration.ofSeconds(60),
        () ->
            pods.pod(pod)
                .map(
                    p -> {
                      for (JsonNode c : p.path("status").path("conditions")) {
                        if (c.path("type").asText().equals("Ready")) {
                          return c.path("status").asText().equals("True");
                        }
                      }
                      return false;
                    })
                .orElse(false));
  }

  @ParameterizedTest(name = "kubectl {0}: hostname, PID 1, the image's root, private writes")
  @ValueSource(strings = {"1.27", "1.33"})
  void aBusyboxPodSeesItselfOnly(String minor) {
    Kubectl kubectl = cluster.kubectl(minor);
    String a = "iso-a-" + minor.replace(".", "");
    String b = "iso-b-" + minor.replace(".", "");
    pods.runBusybox(a, "sleep", "3600");
    pods.runBusybox(b, "sleep", "3601");

    assertThat(ok(kubectl.run("exec", a, "--", "hostname")).stdout()).isEqualTo(a + "\n");
    // the container's own PID namespace: its main process is PID 1, nothing of the host or of
    // the other pod shows
    assertThat(ok(kubectl.run("exec", a, "--", "ps", "-o", "pid,args")).stdout())
        .matches("PID   COMMAND\n    1 sleep 3600\n +\\d+ ps -o pid,args\n");
    assertThat(ok(kubectl.run("exec", a, "--", "ls", "/")).stdout())
        .isEqualTo("bin\ndev\netc\nhome\nmnt\nopt\nproc\nroot\nrun\nsbin\nsys\ntmp\nusr\nvar\n");
    assertThat(ok(kubectl.run("exec", a, "--", "cat", "/etc/hostname")).stdout())
        .isEqualTo(a + "\n");

    ok(kubectl.run("exec", a, "--", "sh", "-c", "echo mine > /tmp/written-in-a"));
    assertThat(ok(kubectl.run("exec", a, "--", "cat", "/tmp/written-in-a")).stdout())
        .isEqualTo("mine\n");
    ProcessResult elsewhere = kubectl.run("exec", b, "--", "cat", "/tmp/written-in-a");
    assertThat(elsewhere.exitCode()).isEqualTo(1);
    assertThat(elsewhere.stdout()).isEmpty();
    assertThat(elsewhere.stderr())
        .startsWith("cat: can't open '/tmp/written-in-a': No such file or directory\n");
    // and the host's /tmp has no such file either
    assertThat(Path.of("/tmp/written-in-a")).doesNotExist();
    ok(kubectl.run("delete", "pod", a, b, "--grace-period=1"));
  }

  @Test
  void aSharedPidNamespaceShowsPauseAndEveryContainer() throws Exception {
    apply(
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: shared-pid}
        spec:
          shareProcessNamespace: true
          terminationGracePeriodSeconds: 1
          containers:
          - {name: one, image: busybox, command: [sleep, "3602"]}
          - {name: two, image: busybox, command: [sleep, "3603"]}
        """);
    awaitReady("shared-pid");
    String ps =
        ok(cluster
                .kubectl("1.33")
                .run("exec", "shared-pid", "-c", "one", "--", "ps", "-o", "pid,args"))
            .stdout();
    assertThat(ps)
        .startsWith("PID   COMMAND\n    1 /pause\n")
        .contains(" sleep 3602\n")
        .contains(" sleep 3603\n");
    ok(cluster.kubectl("1.33").run("delete", "pod", "shared-pid"));
  }

  @Test
  void configMapSecretAndEmptyDirVolumesBehaveAsInKubernetes() throws Exception {
    Kubectl kubectl = cluster.kubectl("1.33");
    Path script = tmp.resolve("run.sh");
    Files.writeString(script, "#!/bin/sh\necho \"hello from $0\"\n");
    ok(
        kubectl.run(
            "create", "configmap", "scripts", "--from-file=" + script, "--from-literal=unused=x"));
    ok(kubectl.run("create", "secret", "generic", "creds", "--from-literal=token=s3cr3t"));
    apply(
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: volumes
          labels: {tier: backend, app: demo}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: writer
            image: busybox
            command: [sh, -c, "echo shared-bytes > /cache/note; exec sleep 3600"]
            volumeMounts:
            - {name: scripts, mountPath: /opt}
            - {name: creds, mountPath: /etc/app/token, subPath: token}
            - {name: cache, mountPath: /cache}
            - {name: info, mountPath: /etc/podinfo}
            - {name: all-in-one, mountPath: /projected}
          - name: reader
            image: busybox
            command: [sleep, "3600"]
            volumeMounts:
            - {name: cache, mountPath: /data}
          volumes:
          - name: scripts
            configMap:
              name: scripts
              defaultMode: 0755
              items:
              - {key: run.sh, path: bin/run.sh}
          - name: creds
            secret: {secretName: creds}
          - name: cache
            emptyDir: {}
          - name: info
            downwardAPI:
              items:
              - {path: labels, fieldRef: {fieldPath: metadata.labels}}
              - {path: name, fieldRef: {fieldPath: metadata.name}}
          - name: all-in-one
            projected:
              defaultMode: 0400
              sources:
              - secret: {name: creds, items: [{key: token, path: secret/token}]}
              - downwardAPI: {items: [{path: namespace, fieldRef: {fieldPath: metadata.namespace}}]}
        """);
    awaitReady("volumes");

    // items: only run.sh, at its path; defaultMode 0755 makes it executable
    assertThat(
            ok(kubectl.run("exec", "volumes", "-c", "writer", "--", "ls", "/opt", "/opt/bin"))
                .stdout())
        .isEqualTo("/opt:\nbin\n\n/opt/bin:\nrun.sh\n");
    assertThat(
            ok(kubectl.run(
                    "exec",
                    "volumes",
                    "-c",
                    "writer",
                    "--",
                    "stat",
                    "-L",
                    "-c",
                    "%a",
                    "/opt/bin/run.sh"))
                .stdout())
        .isEqualTo("755\n");
    assertThat(ok(kubectl.run("exec", "volumes", "-c", "writer", "--", "/opt/bin/run.sh")).stdout())
        .isEqualTo("hello from /opt/bin/run.sh\n");
    // configMap volumes are read-only, as upstream mounts them
    ProcessResult touch = kubectl.run("exec", "volumes", "-c", "writer", "--", "touch", "/opt/x");
    assertThat(touch.exitCode()).isEqualTo(1);
    assertThat(touch.stderr()).startsWith("touch: /opt/x: Read-only file system\n");
    // subPath: the one key as a file
    assertThat(
            ok(kubectl.run("exec", "volumes", "-c", "writer", "--", "cat", "/etc/app/token"))
                .stdout())
        .isEqualTo("s3cr3t");
    // downwardAPI: upstream's key="value" lines, sorted, Go-quoted, no final newline
    assertThat(
            ok(kubectl.run(
                    "exec",
                    "volumes",
                    "-c",
                    "writer",
                    "--",
                    "cat",
                    "/etc/podinfo/labels",
                    "/etc/podinfo/name"))
                .stdout())
        .isEqualTo("app=\"demo\"\ntier=\"backend\"volumes");
    // projected: a secret's key and the namespace in one directory, with its defaultMode
    assertThat(
            ok(kubectl.run(
                    "exec",
                    "volumes",
                    "-c",
                    "writer",
                    "--",
                    "sh",
                    "-c",
                    "cat /projected/secret/token /projected/namespace; stat -L -c ' %a' /projected/namespace"))
                .stdout())
        .isEqualTo("s3cr3tdefault 400\n");
    // emptyDir: what one container writes, the other reads
    Await.until(
        "the reader sees the writer's note",
        Duration.ofSeconds(20),
        () ->
            kubectl
                .run("exec", "volumes", "-c", "reader", "--", "cat", "/data/note")
                .stdout()
                .equals("shared-bytes\n"));
    ok(kubectl.run("delete", "pod", "volumes"));
  }

  /**
   * A Python server of our own on two ports (answering each chunk with "PORT: " and the chunk),
   * mounted from a ConfigMap at /opt and run by the python image, Ready once its first port opens
   * (startupProbe, tcpSocket); then, as the Python client's test does, raw bytes through a
   * port-forward of both ports, ten times over.
   */
  @Test
  void aConfigMapMountedPythonServerBehindAPortForward() throws Exception {
    Kubectl kubectl = cluster.kubectl("1.33");
    Path server = tmp.resolve("port-server.py");
    Files.writeString(
        server,
        """
        import select, socket, sys
        listeners = []
        for port in sys.argv[1:]:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(('', int(port)))
            s.listen(8)
            listeners.append(s)
        peers = {}
        while True:
            ready, _, _ = select.select(listeners + list(peers), [], [])
            for s in ready:
                if s in listeners:
                    conn, _ = s.accept()
                    peers[conn] = s.getsockname()[1]
                    continue
                data = s.recv(4096)
                if not data:
                    del peers[s]
                    s.close()
                    continue
                s.sendall(str(peers[s]).encode() + b': ' + data)
        """);
    ok(kubectl.run("create", "configmap", "port-server", "--from-file=" + server));
    int[] ports = {freePort(), freePort()};
    apply(
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: port-server}
        spec:
          restartPolicy: Never
          terminationGracePeriodSeconds: 1
          containers:
          - name: port-server
            image: python
            command: [python, -u, /opt/port-server.py, "%d", "%d"]
            volumeMounts:
            - {name: port-server, mountPath: /opt, readOnly: true}
            startupProbe:
              tcpSocket: {port: %d}
              initialDelaySeconds: 1
              periodSeconds: 2
              failureThreshold: 30
          volumes:
          - name: port-server
            configMap: {name: port-server}
        """
            .formatted(ports[0], ports[1], ports[0]));
    awaitReady("port-server");

    for (int round = 1; round <= 10; round++) {
      int local1 = freePort();
      int local2 = freePort();
      RunningCommand forward =
          kubectl.start(
              "port-forward", "pod/port-server", local1 + ":" + ports[0], local2 + ":" + ports[1]);
      try {
        forward.awaitStdout("Forwarding from 127.0.0.1:" + local2, Duration.ofSeconds(30));
        byte[] sent1 =
            ("Test " + round + " port " + ports[0] + " forwarding")
                .getBytes(StandardCharsets.UTF_8);
        byte[] sent2 =
            ("Test " + round + " port " + ports[1] + " forwarding")
                .getBytes(StandardCharsets.UTF_8);
        try (Socket s1 = new Socket("127.0.0.1", local1);
            Socket s2 = new Socket("127.0.0.1", local2)) {
          s1.setSoTimeout(30_000);
          s2.setSoTimeout(30_000);
          s1.getOutputStream().write(sent1);
          s2.getOutputStream().write(sent2);
          assertThat(read(s1.getInputStream(), ports[0] + ": ", sent1))
              .isEqualTo(ports[0] + ": " + new String(sent1, StandardCharsets.UTF_8));
          assertThat(read(s2.getInputStream(), ports[1] + ": ", sent2))
              .isEqualTo(ports[1] + ": " + new String(sent2, StandardCharsets.UTF_8));
        }
      } finally {
        forward.close();
      }
    }
    ok(kubectl.run("delete", "pod", "port-server"));
  }

  /** Reads until the reply to {@code sent} is complete (the prefix and the bytes sent). */
  private static String read(InputStream in, String prefix, byte[] sent) throws Exception {
    int expected = prefix.getBytes(StandardCharsets.UTF_8).length + sent.length;
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    while (got.size() < expected) {
      int n = in.read(buffer);
      if (n < 0) {
        break;
      }
      got.write(buffer, 0, n);
    }
    return got.toString(StandardCharsets.UTF_8);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
