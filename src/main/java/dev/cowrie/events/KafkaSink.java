package dev.cowrie.events;

import dev.cowrie.config.CowrieConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
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
  private final KafkaProducer<String, String> producer;
  private final String topic;
  private volatile String lastFailure;

  private KafkaSink(KafkaProducer<String, String> producer, String topic) {
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
    return new KafkaSink(KafkaProducer.create(vertx, props), config.string("kafka", "topic"));
  }

  /** Sends every event; succeeds when all are acknowledged. */
  Future<Void> send(List<OutboxRelay.Relayed> events) {
    List<Future<?>> acks = new java.util.ArrayList<>(events.size());
    events.forEach(event -> {
      KafkaProducerRecord<String, String> record =
          KafkaProducerRecord.create(topic, event.merchantId(), event.json().encode());
      record.addHeader("cowrie-mode", event.mode()).addHeader("cowrie-type", event.type());
      acks.add(producer.send(record));
    });
    return Future.all(acks)
        .onSuccess(ok -> lastFailure = null)
        .onFailure(failure -> lastFailure = String.valueOf(failure.getMessage()))
        .mapEmpty();
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
