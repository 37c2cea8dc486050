package io.kubehop.streaming.record;

import io.kubehop.streaming.httpstream.StreamHeaders;
import io.kubehop.streaming.httpstream.StreamType;
import io.kubehop.streaming.remotecommand.ErrorStreamDecoder;
import io.kubehop.streaming.remotecommand.ExitCodeException;
import io.kubehop.streaming.remotecommand.StreamProtocol;
import io.kubehop.streaming.remotecommand.TerminalSizeDecoder;
import io.kubehop.streaming.spdy.frame.SpdyFrame;
import io.kubehop.streaming.spdy.frame.SpdyFrameDecoder;
import io.kubehop.streaming.spdy.frame.SpdyProtocolException;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Feeds a {@link Recording} from the SPDY/3.1 bytes of an exec or attach session, as a tier in the
 * middle sees them, one copy per direction: stdin is input, stdout and stderr are output, the
 * resize stream's sizes are resizes, and the error stream's Status is the exit code. It reads the
 * bytes after they were relayed and never holds them up; a stream it cannot decode ends the
 * recording (with a marker), never the session.
 */
public final class SpdyRecordingTap {

  /** Bytes of the error stream kept; a Status is a few hundred. */
  private static final int MAX_STATUS = 64 * 1024;

  private final Recording recording;
  private final Map<Integer, StreamType> streamTypes = new ConcurrentHashMap<>();
  private final SpdyFrameDecoder towardBackend;
  private final SpdyFrameDecoder towardClient;
  private final TerminalSizeDecoder sizes;
  private Buffer status = Buffer.buffer();
  private boolean statusRead;
  private volatile boolean failed;

  public SpdyRecordingTap(Recording recording) {
    this.recording = recording;
    this.sizes = new TerminalSizeDecoder(size -> recording.resize(size.width(), size.height()));
    this.towardBackend = new SpdyFrameDecoder(listener(this::fromClient));
    this.towardClient = new SpdyFrameDecoder(listener(this::fromBackend));
  }

  /** The bytes the client sends toward the container. */
  public Consumer<Buffer> towardBackend() {
    return bytes -> decode(towardBackend, bytes);
  }

  /** The bytes the container's side sends toward the client. */
  public Consumer<Buffer> towardClient() {
    return bytes -> decode(towardClient, bytes);
  }

  private void decode(SpdyFrameDecoder decoder, Buffer bytes) {
    if (!failed) {
      decoder.decode(bytes);
    }
  }

  private SpdyFrameDecoder.Listener listener(Consumer<SpdyFrame> frames) {
    return new SpdyFrameDecoder.Listener() {
      @Override
      public void onFrame(SpdyFrame frame) {
        if (frame instanceof SpdyFrame.SynStream syn) {
          StreamType.fromHeader(syn.headers().get(StreamHeaders.STREAM_TYPE))
              .ifPresent(
                  type -> {
                    streamTypes.put(syn.streamId(), type);
                    if (type == StreamType.RESIZE) {
                      recording.terminal();
                    }
                  });
        }
        frames.accept(frame);
      }

      @Override
      public void onFrameError(SpdyProtocolException error) {
        fail("kubehop: recording stopped: " + error.getMessage());
      }
    };
  }

  private void fromClient(SpdyFrame frame) {
    if (frame instanceof SpdyFrame.Data data && data.data().length() > 0) {
      StreamType type = streamTypes.get(data.streamId());
      if (type == StreamType.STDIN) {
        recording.input(data.data());
      } else if (type == StreamType.RESIZE) {
        try {
          sizes.decode(data.data());
        } catch (IOException malformed) {
          fail("kubehop: recording stopped: " + malformed.getMessage());
        }
      }
    }
  }

  private void fromBackend(SpdyFrame frame) {
    if (!(frame instanceof SpdyFrame.Data data)) {
      return;
    }
    StreamType type = streamTypes.get(data.streamId());
    if (type == StreamType.STDOUT || type == StreamType.STDERR) {
      if (data.data().length() > 0) {
        recording.output(data.data());
      }
    } else if (type == StreamType.ERROR && !statusRead) {
      if (status.length() + data.data().length() <= MAX_STATUS) {
        status.appendBuffer(data.data());
      }
      if (data.fin()) {
        readStatus();
      }
    }
  }

  /**
   * The error stream's content as the outcome: a Status (V4, V5) with the exit code, or a V1–V3
   * error text; empty means success only where the stream was closed properly.
   */
  private void readStatus() {
    statusRead = true;
    boolean json = status.length() > 0 && status.getByte(0) == '{';
    Exception outcome =
        ErrorStreamDecoder.decode(json ? StreamProtocol.V4 : StreamProtocol.V3, status);
    if (outcome == null) {
      recording.exit(0);
    } else if (outcome instanceof ExitCodeException exit) {
      recording.exit(exit.code());
    } else {
      recording.mark("kubehop: " + outcome.getMessage());
    }
  }

  private void fail(String why) {
    if (!failed) {
      failed = true;
      recording.mark(why);
      close();
    }
  }

  /**
   * The connection ended: the recording is complete. A session cut off before its status says so in
   * a marker rather than inventing an exit code.
   */
  public void close() {
    towardBackend.close();
    towardClient.close();
    if (!statusRead && !failed) {
      recording.mark("kubehop: the session ended without an exit status");
    }
    recording.close();
  }
}
