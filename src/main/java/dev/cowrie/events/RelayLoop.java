package dev.cowrie.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Drives one relay: never two passes at once, passes back to back while batches come back full;
 * when only a few events arrived during a pass, the next pass waits {@code lingerMs} to gather
 * more (a busy system commits one relay transaction per several events, a quiet one relays at
 * once). After a failed pass a growing pause (the sink is away) during which wake-ups are
 * ignored, so an absent broker costs one attempt per pause, not one per commit.
 */
final class RelayLoop {
  private static final long BACKOFF_FIRST_MS = 250;

  private final Vertx vertx;
  private final Supplier<Future<Integer>> pass;
  private final int batchSize;
  private final long lingerMs;
  private final long backoffMaxMs;
  private final Consumer<Throwable> onFailure;
  private boolean passing;
  private boolean wokenWhilePassing;
  private long backoffMs;
  private boolean backingOff;
  private boolean lingering;

  RelayLoop(Vertx vertx, Supplier<Future<Integer>> pass, int batchSize, long lingerMs, long backoffMaxMs,
      Consumer<Throwable> onFailure) {
    this.vertx = vertx;
    this.pass = pass;
    this.batchSize = batchSize;
    this.lingerMs = lingerMs;
    this.backoffMaxMs = backoffMaxMs;
    this.onFailure = onFailure;
  }

  void wake() {
    if (passing || lingering) {
      wokenWhilePassing = true;
      return;
    }
    if (backingOff) {
      return;
    }
    passing = true;
    wokenWhilePassing = false;
    pass.get().onComplete(done -> {
      passing = false;
      if (done.failed()) {
        onFailure.accept(done.cause());
        pause();
        return;
      }
      backoffMs = 0;
      if (done.result() == batchSize || wokenWhilePassing && lingerMs <= 0) {
        wake();
      } else if (wokenWhilePassing) {
        linger();
      }
    });
  }

  private void linger() {
    lingering = true;
    vertx.setTimer(lingerMs, fired -> {
      lingering = false;
      wake();
    });
  }

  private void pause() {
    backoffMs = backoffMs == 0 ? BACKOFF_FIRST_MS : Math.min(backoffMs * 2, backoffMaxMs);
    backingOff = true;
    vertx.setTimer(backoffMs, fired -> {
      backingOff = false;
      wake();
    });
  }
}
