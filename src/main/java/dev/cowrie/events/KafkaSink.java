package dev.cowrie.events;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes events to the Kafka topic, keyed by merchant id so one merchant's events stay in one
 * partition, in order. Idempotent producer with acks=all. The producer's calls may block (while
 * metadata is missing), so they run on a worker pool of their own with one thread: an absent
 * broker can hold that thread, never the workers bcrypt or the URL guard need.
 */
final class KafkaSink {
  /** What a send came to: the events that are on the topic and may be marked, and the first failure if any. */
  record Sent(List<OutboxRelay.Relayed> acknowledged, Throwable failure) {}

  private final Vertx vertx;
  private final WorkerExecutor worker;
  private final Producer<String, String> producer;
  private final String topic;

  KafkaSink(Vertx vertx, KafkaSettings settings) {
    this.vertx = vertx;
    this.worker = vertx.createSharedWorkerExecutor("cowrie-kafka-producer", 1);
    this.producer = new KafkaProducer<>(Map.copyOf(settings.producer()), new StringSerializer(), new StringSerializer());
    this.topic = settings.topic();
  }

  /**
   * Hands the events to the producer in order and completes once every record handed over has
   * been acknowledged or has failed: only then may another pass start, so no stale record of
   * this pass can land after the next one's. After the first failure nothing more is handed over.
   */
  Future<Sent> send(List<OutboxRelay.Relayed> events) {
    Context context = vertx.getOrCreateContext();
    Promise<Sent> settled = Promise.promise();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicReferenceArray<Boolean> acked = new AtomicReferenceArray<>(events.size());
    AtomicInteger outstanding = new AtomicInteger(1); // the hand-over loop itself counts as one
    Runnable oneSettled = () -> {
      if (outstanding.decrementAndGet() == 0) {
        context.runOnContext(v -> settled.complete(new Sent(acknowledgedInOrder(events, acked), failure.get())));
      }
    };
    worker.executeBlocking(() -> {
      for (int i = 0; i < events.size() && failure.get() == null; i++) {
        int index = i;
        outstanding.incrementAndGet();
        try {
          producer.send(record(events.get(i)), (metadata, error) -> {
            if (error != null) {
              failure.compareAndSet(null, error);
            } else {
              acked.set(index, true);
            }
            oneSettled.run();
          });
        } catch (RuntimeException thrownWithoutCallback) {
          failure.compareAndSet(null, thrownWithoutCallback);
          oneSettled.run();
        }
      }
      return null;
    }).onComplete(loop -> {
      if (loop.failed()) {
        failure.compareAndSet(null, loop.cause());
      }
      oneSettled.run();
    });
    return settled.future();
  }

  private ProducerRecord<String, String> record(OutboxRelay.Relayed event) {
    ProducerRecord<String, String> record = new ProducerRecord<>(topic, event.merchantId(), event.json().encode());
    record.headers().add("cowrie-event-id", event.id().getBytes(StandardCharsets.UTF_8))
        .add("cowrie-mode", event.mode().getBytes(StandardCharsets.UTF_8))
        .add("cowrie-type", event.type().getBytes(StandardCharsets.UTF_8));
    return record;
  }

  /**
   * The acknowledged events that may be marked sent: per merchant only up to its first unacknowledged
   * one, so a merchant's later event never counts as sent while an earlier one must be sent again.
   */
  private static List<OutboxRelay.Relayed> acknowledgedInOrder(List<OutboxRelay.Relayed> events,
                                                               AtomicReferenceArray<Boolean> acked) {
    List<OutboxRelay.Relayed> marked = new ArrayList<>();
    Set<String> broken = new HashSet<>();
    for (int i = 0; i < events.size(); i++) {
      OutboxRelay.Relayed event = events.get(i);
      if (Boolean.TRUE.equals(acked.get(i)) && !broken.contains(event.merchantId())) {
        marked.add(event);
      } else {
        broken.add(event.merchantId());
      }
    }
    return marked;
  }

  Future<Void> close() {
    return worker.executeBlocking(() -> {
      producer.close(Duration.ofSeconds(2));
      return null;
    }).eventually(worker::close).mapEmpty();
  }
}
