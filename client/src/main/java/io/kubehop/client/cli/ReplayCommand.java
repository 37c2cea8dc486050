package io.kubehop.client.cli;

import io.kubehop.client.replay.AsciicastPlayer;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code kubehop replay FILE}: plays a session recording ({@code bin/kubehop up --record}, the
 * apiserver's {@code --record-sessions}) in the terminal at its pace.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description =
        "Play a recorded exec or attach session (an asciicast v2 file, as kubehop up --record"
            + " writes them to $KUBEHOP_HOME/recordings) in the terminal at its pace.",
    customSynopsis = {"  kubehop replay [--speed N] [--max-wait SECONDS] FILE [options]"},
    footer = {
      "  # Play a session as it happened",
      "  kubehop replay ~/.kubehop/recordings/9c285ae7001a827d.cast",
      "",
      "  # Ten times faster, and no pause longer than a second",
      "  kubehop replay --speed 10 --max-wait 1 ~/.kubehop/recordings/9c285ae7001a827d.cast"
    })
final class ReplayCommand implements Callable<Integer> {

  @ParentCommand KubehopCommand parent;

  @Parameters(index = "0", paramLabel = "FILE", description = "The recording.")
  Path file;

  @Option(
      names = "--speed",
      paramLabel = "N",
      defaultValue = "1",
      description = "Play N times faster.")
  double speed;

  @Option(
      names = "--max-wait",
      paramLabel = "SECONDS",
      description = "Shorten every pause to at most SECONDS (default: as recorded).")
  Double maxWait;

  @Override
  public Integer call() throws Exception {
    AsciicastPlayer player;
    try {
      player =
          new AsciicastPlayer(
              speed,
              maxWait == null ? Double.POSITIVE_INFINITY : maxWait,
              nanos -> {
                long end = System.nanoTime() + nanos;
                for (long left = nanos; left > 0; left = end - System.nanoTime()) {
                  LockSupport.parkNanos(left);
                  if (Thread.interrupted()) {
                    throw new InterruptedException();
                  }
                }
              });
    } catch (IllegalArgumentException e) {
      throw new CommandException(e.getMessage());
    }
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      player.play(in, parent.context().out());
    } catch (NoSuchFileException e) {
      throw new CommandException("the recording " + file + " does not exist");
    } catch (IOException e) {
      throw new CommandException(file + ": " + e.getMessage());
    }
    return 0;
  }
}
