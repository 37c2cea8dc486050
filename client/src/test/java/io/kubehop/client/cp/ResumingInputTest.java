package io.kubehop.client.cp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubehop.streaming.remotecommand.ExitCodeException;
import io.vertx.core.Future;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --retries}: a lost stream resumes at the next byte; the command's own exit does not. */
class ResumingInputTest {

  private static final byte[] DATA = "0123456789".getBytes(StandardCharsets.US_ASCII);

  private final List<Long> starts = new ArrayList<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** Attempt i serves DATA from its start byte, but only {@code cuts[i]} bytes, then fails. */
  private ResumingInput input(int maxTries, Throwable failure, int... cuts) {
    return new ResumingInput(
        from -> {
          int attempt = starts.size();
          starts.add(from);
          int offset = (int) Math.max(0, from - 1);
          boolean cut = attempt < cuts.length;
          int length = cut ? cuts[attempt] : DATA.length - offset;
          return new ResumingInput.Attempt(
              new ByteArrayInputStream(DATA, offset, length),
              cut ? Future.failedFuture(failure) : Future.succeededFuture());
        },
        maxTries,
        new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @Test
  void aLostStreamResumesAtTheNextByte() throws IOException {
    ResumingInput in = input(3, new IOException("connection reset"), 4, 3);
    assertEquals("0123456789", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    assertEquals(List.of(0L, 5L, 8L), starts);
    assertEquals(
        "Resuming copy at 4 bytes, retry 1/3\nResuming copy at 7 bytes, retry 2/3\n",
        out.toString(StandardCharsets.UTF_8));
    assertEquals(true, in.done().succeeded());
  }

  @Test
  void retriesRunOut() throws IOException {
    ResumingInput in = input(1, new IOException("connection reset"), 4, 3);
    assertEquals("0123456", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    assertEquals(
        "Resuming copy at 4 bytes, retry 1/1\nDropping out copy after 1 retries\n",
        out.toString(StandardCharsets.UTF_8));
    assertEquals(true, in.done().failed());
  }

  @Test
  void theRemoteTarsOwnExitIsNotRetried() throws IOException {
    ResumingInput in = input(-1, new ExitCodeException(2), 4);
    assertEquals("0123", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    assertEquals(List.of(0L), starts);
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void withoutRetriesNothingIsPrinted() throws IOException {
    ResumingInput in = input(0, new IOException("connection reset"), 4);
    assertEquals("0123", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }
}
