package dev.cowrie.requests;

import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.config.CowrieConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decodes QR images on a small pool of its own, so a burst of decodes (each up to a few hundred ms
 * of CPU) never takes the shared workers that bcrypt, Flyway and QR encoding need. Vert.x queues
 * on a worker pool without bound, so the bound is kept here: past {@code qr.decode_in_flight_max}
 * decodes waiting or running, a new one is a quick 503 with Retry-After. The pool closes with the
 * verticle that created it.
 */
final class QrDecoder {
  static final String POOL_NAME = "cowrie-qr-decode";

  private final WorkerExecutor workers;
  private final int inFlightMax;
  private final long pixelsMax;
  private final AtomicInteger inFlight = new AtomicInteger();

  QrDecoder(Vertx vertx, CowrieConfig config) {
    this.workers = vertx.createSharedWorkerExecutor(POOL_NAME, config.qr().decodeWorkers());
    this.inFlightMax = config.qr().decodeInFlightMax();
    this.pixelsMax = config.qr().decodePixelsMax();
  }

  /** The text in the image; fails with BadMessage (unreadable), a 400 (too large or too deep) or a 503 (at capacity). */
  Future<String> read(byte[] png) {
    try {
      Qr.refuseCostly(png, pixelsMax);
    } catch (BadMessage | CowrieError refused) {
      return Future.failedFuture(refused);
    }
    if (inFlight.incrementAndGet() > inFlightMax) {
      inFlight.decrementAndGet();
      return Future.failedFuture(new CowrieError(ErrorCode.SERVICE_UNAVAILABLE,
          "Too many QR images are being decoded right now; retry in a moment."));
    }
    return workers.<String>executeBlocking(() -> Qr.read(png, pixelsMax), false)
        .andThen(done -> inFlight.decrementAndGet());
  }
}
