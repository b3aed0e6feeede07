package dev.cowrie.events;

import dev.cowrie.config.CowrieConfig;
import java.util.HashMap;
import java.util.Map;

/** The Kafka client settings of one gateway node, or none when {@code kafka.bootstrap} is empty (Kafka off). */
record KafkaSettings(String bootstrap, String topic) {
  /** How long readiness waits for the broker to answer a metadata request. */
  static final int HEALTH_TIMEOUT_MS = 1_500;

  static KafkaSettings of(CowrieConfig config) {
    return config.kafka().enabled() ? new KafkaSettings(config.kafka().bootstrap(), config.kafka().topic()) : null;
  }

  Map<String, Object> producer() {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrap);
    props.put("acks", "all");
    props.put("enable.idempotence", "true");
    props.put("max.in.flight.requests.per.connection", "5"); // the most idempotence keeps in order
    props.put("linger.ms", "1");
    // Bounded waits: with the broker away a send fails within seconds and the pass ends; the
    // relay then backs off, so the producer's one thread is never held for long.
    props.put("max.block.ms", "2000");
    props.put("request.timeout.ms", "5000");
    props.put("delivery.timeout.ms", "10000");
    props.put("reconnect.backoff.max.ms", "1000");
    props.put("client.id", "cowrie-relay");
    return props;
  }

  Map<String, Object> admin() {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrap);
    props.put("request.timeout.ms", String.valueOf(HEALTH_TIMEOUT_MS));
    props.put("default.api.timeout.ms", String.valueOf(HEALTH_TIMEOUT_MS));
    props.put("reconnect.backoff.max.ms", "1000");
    props.put("client.id", "cowrie-health");
    return props;
  }
}
