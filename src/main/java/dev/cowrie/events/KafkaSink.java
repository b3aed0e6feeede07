package dev.cowrie.events;

import dev.cowrie.config.CowrieConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Publishes events to the Kafka topic, keyed by merchant id so one merchant's events stay in one
 * partition, in order. Idempotent producer with acks=all: a batch counts as sent only once every
 * in-sync replica has it; until then the relay keeps its rows and tries again.
 */
final class KafkaSink {
  private final Vertx vertx;
  private final KafkaProducer<String, String> producer;
  private final String topic;
  private volatile String lastFailure;

  private KafkaSink(Vertx vertx, KafkaProducer<String, String> producer, String topic) {
    this.vertx = vertx;
    this.producer = producer;
    this.topic = topic;
  }

  /** The sink, or null when {@code kafka.bootstrap} is empty (Kafka off). */
  static KafkaSink create(Vertx vertx, CowrieConfig config) {
    String bootstrap = config.string("kafka", "bootstrap").trim();
    if (bootstrap.isEmpty()) {
      return null;
    }
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrap);
    props.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    props.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    props.put("acks", "all");
    props.put("enable.idempotence", "true");
    props.put("max.in.flight.requests.per.connection", "5"); // the most idempotence keeps in order
    props.put("linger.ms", "1");
    // Bounded waits: when the broker is away, a batch fails within seconds and its rows wait.
    props.put("max.block.ms", "5000");
    props.put("request.timeout.ms", "5000");
    props.put("delivery.timeout.ms", "10000");
    props.put("client.id", "cowrie-relay");
    Map<String, Object> settings = new HashMap<>(props);
    return new KafkaSink(vertx, KafkaProducer.create(vertx, new org.apache.kafka.clients.producer.KafkaProducer<String, String>(settings)),
        config.string("kafka", "topic"));
  }

  /**
   * Sends every event; succeeds when all are acknowledged. The whole batch is handed to the Kafka
   * client in one worker hop (send may block while metadata is missing), not one hop per record.
   */
  Future<Void> send(List<OutboxRelay.Relayed> events) {
    Promise<Void> acked = Promise.promise();
    AtomicInteger waiting = new AtomicInteger(events.size());
    var context = vertx.getOrCreateContext();
    Producer<String, String> raw = producer.unwrap();
    vertx.executeBlocking(() -> {
      for (OutboxRelay.Relayed event : events) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, event.merchantId(), event.json().encode());
        record.headers().add("cowrie-mode", event.mode().getBytes(StandardCharsets.UTF_8))
            .add("cowrie-type", event.type().getBytes(StandardCharsets.UTF_8));
        raw.send(record, (metadata, failure) -> {
          if (failure != null) {
            context.runOnContext(v -> acked.tryFail(failure));
          } else if (waiting.decrementAndGet() == 0) {
            context.runOnContext(v -> acked.tryComplete());
          }
        });
      }
      return null;
    }, false).onFailure(acked::tryFail);
    return acked.future()
        .onSuccess(ok -> lastFailure = null)
        .onFailure(failure -> lastFailure = String.valueOf(failure.getMessage()));
  }

  /** Ready when the last batch went through and the broker answers a metadata request. */
  Future<JsonObject> health() {
    String failure = lastFailure;
    if (failure != null) {
      return Future.failedFuture("last publish failed: " + failure);
    }
    return producer.partitionsFor(topic).timeout(3, TimeUnit.SECONDS)
        .map(partitions -> new JsonObject().put("kafka", "ok").put("partitions", partitions.size()));
  }

  Future<Void> close() {
    return producer.close(2_000);
  }
}
