package io.kubehop.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubehop.client.ExitCodeException;
import io.kubehop.client.cp.CpPaths;
import io.kubehop.client.cp.FileSpec;
import io.kubehop.client.cp.LocalOutput;
import io.kubehop.client.cp.Progress;
import io.kubehop.client.cp.ResumingInput;
import io.kubehop.client.cp.TarExtractor;
import io.kubehop.client.cp.TarMaker;
import io.kubehop.client.cp.Terminals;
import io.kubehop.client.rest.MediaTypes;
import io.kubehop.client.rest.Query;
import io.kubehop.client.rest.ResourceType;
import io.kubehop.client.stream.InputStreamSink;
import io.kubehop.client.stream.OutputStreamSource;
import io.kubehop.client.stream.StreamingClient;
import io.kubehop.client.stream.Transport;
import io.kubehop.streaming.remotecommand.StreamOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kubehop cp SRC DEST}: tar over exec, as kubectl does it. From a pod: {@code tar cf - SRC}
 * in the container, its stdout unpacked here ({@link TarExtractor}, which refuses members outside
 * DEST). To a pod: {@code test -d DEST} (is it a directory?), then this side's tar ({@link
 * TarMaker}) streamed into {@code tar -xmf - -C DIR}. The tar runs on the calling thread; the
 * bridges to the connection ({@link InputStreamSink}, {@link OutputStreamSource}) hold at most
 * about a megabyte each way, so any size copies in a small heap.
 *
 * <p>Unlike kubectl, a remote tar that fails makes this fail with its exit code, in both directions
 * (kubectl 1.33 exits 0 after {@code cp pod:/missing .}), and the remote tar's messages go to
 * stderr, not stdout.
 */
@Command(
    name = "cp",
    mixinStandardHelpOptions = true,
    customSynopsis = "  kubehop cp <file-spec-src> <file-spec-dest> [options]",
    description = {
      "Copy files and directories to and from containers.",
      "",
      "A file-spec is [[namespace/]pod:]file/path. Requires 'tar' in the container."
    },
    footer = {
      "  # Copy the local directory /tmp/foo_dir to /tmp/bar_dir in a pod",
      "  kubehop cp /tmp/foo_dir <some-pod>:/tmp/bar_dir",
      "",
      "  # Copy the local file /tmp/foo to /tmp/bar in a pod's given container",
      "  kubehop cp /tmp/foo <some-pod>:/tmp/bar -c <specific-container>",
      "",
      "  # Copy the local file /tmp/foo to /tmp/bar in a pod of <some-namespace>",
      "  kubehop cp /tmp/foo <some-namespace>/<some-pod>:/tmp/bar",
      "",
      "  # Copy /tmp/foo from a pod to the local /tmp/bar",
      "  kubehop cp <some-namespace>/<some-pod>:/tmp/foo /tmp/bar"
    })
final class CpCommand extends ApiCommand {

  /** kubectl's limit for the {@code test -d} probe before a copy into a pod. */
  private static final long DIRECTORY_CHECK_SECONDS = 3;

  @Parameters(arity = "0..*", paramLabel = "FILE-SPEC", description = "Source and destination.")
  List<String> args = new ArrayList<>();

  @Option(
      names = {"-c", "--container"},
      paramLabel = "NAME",
      description =
          "Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation"
              + " for selecting the container to be attached or the first container in the pod"
              + " will be chosen")
  String container;

  @Option(
      names = "--no-preserve",
      description =
          "The copied file/directory's ownership and permissions will not be preserved in the"
              + " container")
  boolean noPreserve;

  @Option(
      names = "--retries",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "Set number of retries to complete a copy operation from a container. Specify 0 to"
              + " disable or any negative value for infinite retrying. The default is 0 (no"
              + " retry).")
  int retries;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print no progress and no notices, only errors and the remote tar's messages.")
  boolean quiet;

  @Option(
      names = "--transport",
      paramLabel = "auto|websocket|spdy",
      defaultValue = "auto",
      description =
          "The wire form of the execs: WebSocket first, SPDY/3.1 when refused (auto), or only one.")
  String transport;

  @Override
  int run(Session s) throws Exception {
    if (args.size() != 2) {
      throw new CommandException("source and destination are required");
    }
    FileSpec src;
    FileSpec dest;
    try {
      src = FileSpec.parse(args.get(0));
      dest = FileSpec.parse(args.get(1));
    } catch (IllegalArgumentException e) {
      throw new CommandException(e.getMessage());
    }
    if (src.isRemote() && dest.isRemote()) {
      throw new CommandException("one of src or dest must be a local file specification");
    }
    if (src.path().isEmpty() || dest.path().isEmpty()) {
      throw new CommandException("filepath can not be empty");
    }
    if (!src.isRemote() && !dest.isRemote()) {
      throw new CommandException("one of src or dest must be a remote file specification");
    }
    Transport wire;
    try {
      wire = Transport.parse(transport);
    } catch (IllegalArgumentException e) {
      throw new CommandException(e.getMessage());
    }
    if (!src.isRemote() && !Files.exists(Path.of(src.path()))) {
      throw new CommandException(src.path() + " doesn't exist in local filesystem");
    }
    try (StreamingClient streaming = new StreamingClient(s.client().connection())) {
      PodExec exec = new PodExec(s, streaming, wire, src.isRemote() ? src : dest);
      return src.isRemote() ? copyFromPod(s, exec, src, dest) : copyToPod(s, exec, src, dest);
    }
  }

  private int copyFromPod(Session s, PodExec exec, FileSpec src, FileSpec dest) throws Exception {
    try (Progress progress = progress(s, CpPaths.base(src.path()))) {
      LocalOutput stderr = new LocalOutput(s.err(), progress);
      ResumingInput stdout =
          new ResumingInput(from -> tarFrom(exec, src.path(), from, stderr), retries, s.out());
      String hint =
          "kubehop exec -n "
              + CpPaths.quote(exec.namespace())
              + " "
              + CpPaths.quote(exec.pod())
              + " -- tar cf - "
              + CpPaths.quote(src.path())
              + " | tar xf -";
      TarExtractor extractor = new TarExtractor(src.path(), dest.path(), s.err(), progress, hint);
      try {
        extractor.extract(stdout);
      } catch (TarExtractor.TarContentsException e) {
        throw new CommandException(e.getMessage());
      } catch (IOException e) {
        if (!stdout.done().isComplete() || stdout.done().succeeded()) {
          throw new CommandException(e.getMessage());
        }
        // the stream broke because the remote side did: its error says more
      }
      return await(s, stdout.done());
    }
  }

  /**
   * A shell script that streams {@code tar cf - "$1"} from byte {@code $2} on (kubectl's {@code tar
   * cf - SRC | tail -c+N}) and exits with tar's status, not tail's: a pipeline's status is its last
   * command's, and neither busybox's nor dash's sh is sure to have {@code pipefail}. SRC is an
   * argument, not part of the script, so no shell ever parses it.
   */
  static final String RESUMABLE_TAR =
      "exec 4>&1; r=$( { { tar cf - \"$1\"; echo $? >&3; } | tail -c+\"$2\" >&4; } 3>&1 );"
          + " exit \"$r\"";

  /**
   * One {@code tar cf - SRC}; with {@code --retries}, {@link #RESUMABLE_TAR} so that a later
   * attempt resumes where the last one broke.
   */
  private ResumingInput.Attempt tarFrom(PodExec exec, String src, long from, LocalOutput stderr) {
    InputStreamSink stdout = new InputStreamSink(exec.context());
    List<String> command =
        retries == 0
            ? List.of("tar", "cf", "-", src)
            : List.of("sh", "-c", RESUMABLE_TAR, "sh", src, Long.toString(from));
    Future<Void> done = exec.run(command, null, stdout, stderr);
    done.onComplete(ar -> stdout.end()); // a failed upgrade never ends stdout
    return new ResumingInput.Attempt(stdout.inputStream(), done);
  }

  private int copyToPod(Session s, PodExec exec, FileSpec src, FileSpec dest) throws Exception {
    Path local = Path.of(CpPaths.clean(src.path()));
    String destFile = dest.path();
    if (exec.isDirectory(destFile)) {
      destFile = CpPaths.join(destFile, local.getFileName().toString());
    }
    List<String> command = new ArrayList<>(List.of("tar"));
    if (noPreserve) {
      command.addAll(List.of("--no-same-permissions", "--no-same-owner"));
    }
    command.addAll(List.of("-xmf", "-", "-C", CpPaths.dir(destFile)));
    OutputStreamSource stdin = new OutputStreamSource(exec.context());
    try (Progress progress = progress(s, local.getFileName().toString())) {
      progress.expect(TarMaker.contentSize(local));
      Future<Void> done =
          exec.run(
              command,
              stdin,
              new LocalOutput(s.out(), progress),
              new LocalOutput(s.err(), progress));
      done.onComplete(ar -> stdin.cancel()); // the writer must not wait for a reader that is gone
      try (OutputStream out = stdin.outputStream()) {
        new TarMaker(progress, s.err()).write(local, CpPaths.base(destFile), out);
      } catch (IOException e) {
        if (!done.isComplete() || done.succeeded()) {
          throw new CommandException(e.getMessage());
        }
      }
      return await(s, done);
    }
  }

  private Progress progress(Session s, String label) {
    if (quiet || s.err() != System.err || !Terminals.stderrIsTerminal()) {
      return Progress.NONE;
    }
    return Progress.onTerminal(s.err(), label, System::nanoTime);
  }

  /** The exec's outcome as kubectl reports it: a remote exit code is the CLI's. */
  private static int await(Session s, Future<Void> done) throws Exception {
    try {
      done.toCompletionStage().toCompletableFuture().get();
      return 0;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof io.kubehop.streaming.remotecommand.ExitCodeException exit) {
        throw new ExitCodeException(
            exit.code(), "command terminated with exit code " + exit.code());
      }
      throw new CommandException(
          cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
    }
  }

  /** The pod an exec goes to, with kubectl's container choice, and the execs themselves. */
  private final class PodExec {
    private final StreamingClient streaming;
    private final Transport wire;
    private final String namespace;
    private final String pod;
    private final String containerName;

    PodExec(Session s, StreamingClient streaming, Transport wire, FileSpec remote)
        throws IOException {
      this.streaming = streaming;
      this.wire = wire;
      this.namespace = remote.namespace() != null ? remote.namespace() : s.namespace();
      this.pod = remote.pod();
      JsonNode object =
          s.client()
              .get(ResourceType.PODS.objectPath(namespace, pod), Query.of(), MediaTypes.JSON_ANY);
      String phase = object.path("status").path("phase").asText("");
      if (phase.equals("Succeeded") || phase.equals("Failed")) {
        throw new CommandException(
            "cannot exec into a container in a completed pod; current phase is " + phase);
      }
      this.containerName =
          PodContainers.choose(object, container, quiet, s.err()).path("name").asText();
    }

    String namespace() {
      return namespace;
    }

    String pod() {
      return pod;
    }

    Context context() {
      return streaming.vertx().getOrCreateContext();
    }

    Future<Void> run(
        List<String> command,
        ReadStream<Buffer> stdin,
        WriteStream<Buffer> stdout,
        WriteStream<Buffer> stderr) {
      Query query = Query.of();
      command.forEach(c -> query.add("command", c));
      query.add("container", containerName).add("stderr", "true");
      if (stdin != null) {
        query.add("stdin", "true");
      }
      query.add("stdout", "true");
      String path = ResourceType.PODS.objectPath(namespace, pod) + "/exec" + query.encode();
      return streaming.executor(wire, path, null).stream(
          new StreamOptions(stdin != null, true, true, false), stdin, stdout, stderr);
    }

    /** kubectl's {@code checkDestinationIsDir}: {@code test -d}, any failure meaning no. */
    boolean isDirectory(String remotePath) throws InterruptedException {
      WriteStream<Buffer> discard = new LocalOutput(nullStream(), Progress.NONE);
      Future<Void> test = run(List.of("test", "-d", remotePath), null, discard, discard);
      try {
        test.toCompletionStage()
            .toCompletableFuture()
            .get(DIRECTORY_CHECK_SECONDS, TimeUnit.SECONDS);
        return true;
      } catch (ExecutionException | TimeoutException e) {
        return false;
      }
    }
  }

  private static java.io.PrintStream nullStream() {
    return new java.io.PrintStream(OutputStream.nullOutputStream());
  }
}
