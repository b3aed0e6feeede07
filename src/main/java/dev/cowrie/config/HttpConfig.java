package dev.cowrie.config;

import io.vertx.core.json.JsonObject;

/**
 * The HTTP listener: where it binds, how many event-loop instances serve it, the body limit, where
 * uploads wait while their request runs. Section {@code http} of conf/cowrie.yaml.
 */
public record HttpConfig(String host, int port, int instances, int bodyBytesMax, String uploadsDir,
    int socketSendBufferBytes) {

  static HttpConfig from(JsonObject section) {
    return new HttpConfig(
        CowrieConfig.text(section, "host"),
        CowrieConfig.integer(section, "port"),
        CowrieConfig.integer(section, "instances"),
        CowrieConfig.integer(section, "body_bytes_max"),
        CowrieConfig.text(section, "uploads_dir"),
        CowrieConfig.integer(section, "socket_send_buffer_bytes"));
  }
}
