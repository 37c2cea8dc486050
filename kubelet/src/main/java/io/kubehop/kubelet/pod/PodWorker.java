package io.kubehop.kubelet.pod;

import io.vertx.core.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Serialises the syncs of one pod (upstream's pod worker): a sync requested while one runs is
 * remembered and run once after it, so two syncs of a pod never overlap and bursts of events
 * coalesce. Confined to the kubelet's context.
 */
final class PodWorker {

  private static final Logger LOG = Logger.getLogger(PodWorker.class.getName());

  private final PodRecord rec;
  private final Function<PodRecord, Future<Void>> sync;
  private final Consumer<PodRecord> onFinished;
  private boolean running;
  private boolean pending;

  PodWorker(PodRecord rec, Function<PodRecord, Future<Void>> sync, Consumer<PodRecord> onFinished) {
    this.rec = rec;
    this.sync = sync;
    this.onFinished = onFinished;
  }

  void enqueue() {
    if (running) {
      pending = true;
      return;
    }
    run();
  }

  private void run() {
    running = true;
    pending = false;
    Future<Void> f;
    try {
      f = sync.apply(rec);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(
        ar -> {
          running = false;
          if (ar.failed()) {
            String msg = String.valueOf(ar.cause().getMessage());
            // Log a repeating error once, not on every resync.
            if (!msg.equals(rec.lastError)) {
              LOG.warning(
                  "sync of pod "
                      + rec.pod().namespace()
                      + "/"
                      + rec.pod().name()
                      + " failed: "
                      + msg);
            }
            rec.lastError = msg;
          } else {
            rec.lastError = null;
          }
          if (rec.finished) {
            onFinished.accept(rec);
          } else if (pending) {
            run();
          }
        });
  }
}
