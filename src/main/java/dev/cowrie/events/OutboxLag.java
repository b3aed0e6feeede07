package dev.cowrie.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Outbox rows a sink has not taken yet, as Prometheus gauges ({@code cowrie_outbox_lag{sink=…}}):
 * {@code kafka} = not yet on the topic, {@code webhooks} = not yet turned into deliveries and
 * live frames. One value per process, refreshed by the node's EventsVerticle.
 */
final class OutboxLag {
  static final AtomicLong KAFKA = gauge("kafka");
  static final AtomicLong WEBHOOKS = gauge("webhooks");

  private OutboxLag() {}

  private static AtomicLong gauge(String sink) {
    AtomicLong value = new AtomicLong();
    Gauge.builder("cowrie_outbox_lag", value, AtomicLong::get)
        .description("Outbox rows this sink has not taken yet")
        .tag("sink", sink)
        .register(Metrics.globalRegistry);
    return value;
  }
}
