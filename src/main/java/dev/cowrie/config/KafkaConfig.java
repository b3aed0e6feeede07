package dev.cowrie.config;

import io.vertx.core.json.JsonObject;

/**
 * Kafka: the bootstrap servers (blank: no Kafka) and the topic events go to.
 * Section {@code kafka} of conf/cowrie.yaml.
 */
public record KafkaConfig(String bootstrap, String topic) {

  static KafkaConfig from(JsonObject section) {
    return new KafkaConfig(CowrieConfig.text(section, "bootstrap").trim(), CowrieConfig.text(section, "topic"));
  }

  public boolean enabled() {
    return !bootstrap.isEmpty();
  }
}
