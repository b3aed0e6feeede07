package dev.cowrie.config;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;

/**
 * The clustered event bus: on or off, this node's address, and every member's host:port.
 * Section {@code cluster} of conf/cowrie.yaml.
 */
public record ClusterConfig(boolean enabled, String host, int port, List<String> members) {

  static ClusterConfig from(JsonObject section) {
    List<String> members = Arrays.stream(CowrieConfig.text(section, "members").split(","))
        .map(String::trim).filter(member -> !member.isEmpty()).toList();
    return new ClusterConfig(CowrieConfig.flag(section, "enabled"), CowrieConfig.text(section, "host"),
        CowrieConfig.integer(section, "port"), members);
  }
}
