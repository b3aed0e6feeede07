package dev.cowrie.config;

import io.vertx.core.json.JsonObject;

/**
 * QR decoding: its own worker pool and the limits that keep a picture from starving the gateway.
 * Section {@code qr} of conf/cowrie.yaml.
 */
public record QrConfig(int decodeWorkers, int decodeInFlightMax, long decodePixelsMax, int decodeCostTokens) {

  static QrConfig from(JsonObject section) {
    return new QrConfig(
        CowrieConfig.integer(section, "decode_workers"),
        CowrieConfig.integer(section, "decode_in_flight_max"),
        CowrieConfig.number(section, "decode_pixels_max"),
        CowrieConfig.integer(section, "decode_cost_tokens"));
  }
}
