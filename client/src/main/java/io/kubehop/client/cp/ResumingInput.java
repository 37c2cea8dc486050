package io.kubehop.client.cp;

import io.kubehop.streaming.remotecommand.ExitCodeException;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.util.concurrent.ExecutionException;
import java.util.function.LongFunction;

/**
 * The remote tar's stream for {@code cp --retries} (kubectl's {@code TarPipe}): when an attempt's
 * exec fails for any reason but the remote command's own exit code (a lost connection), a new
 * attempt resumes at the next byte ({@code tail -c+N} in the pod), and the reader sees one unbroken
 * stream. kubectl's {@code Resuming copy at N bytes, retry i/n} goes to stdout, as there.
 */
public final class ResumingInput extends InputStream {

  /** One exec: its stdout and its outcome. */
  public record Attempt(InputStream stdout, Future<Void> done) {}

  private final LongFunction<Attempt> start;
  private final int maxTries;
  private final PrintStream out;
  private Attempt current;
  private long bytesRead;
  private int retries;

  /**
   * @param start starts an attempt whose stream begins at byte {@code n} (1-based, kubectl's
   *     argument to {@code tail -c+})
   * @param maxTries retries allowed; negative: no limit
   */
  public ResumingInput(LongFunction<Attempt> start, int maxTries, PrintStream out) {
    this.start = start;
    this.maxTries = maxTries;
    this.out = out;
    this.current = start.apply(0);
  }

  /** The outcome of the last attempt. */
  public Future<Void> done() {
    return current.done();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    while (true) {
      int n = current.stdout().read(b, off, len);
      if (n >= 0) {
        bytesRead += n;
        return n;
      }
      if (maxTries == 0 || !lost(current.done())) {
        return -1; // without --retries, the exec's own error is the answer
      }
      if (maxTries >= 0 && retries >= maxTries) {
        out.println("Dropping out copy after " + retries + " retries");
        return -1;
      }
      retries++;
      out.println("Resuming copy at " + bytesRead + " bytes, retry " + retries + "/" + maxTries);
      current = start.apply(bytesRead + 1);
    }
  }

  /** Whether the attempt ended by losing its stream rather than by the command's own end. */
  private static boolean lost(Future<Void> done) throws IOException {
    try {
      done.toCompletionStage().toCompletableFuture().get();
      return false;
    } catch (ExecutionException e) {
      return !(e.getCause() instanceof ExitCodeException);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the remote tar");
    }
  }
}
