package dev.cowrie.providers;

import io.vertx.core.json.JsonObject;

/** A merchant's connection to a provider, with its credentials decrypted (never leaves the provider layer). */
public record Connection(String id, String merchantId, String mode, String provider, JsonObject credentials, String apiBase) {

  /** A credential that must be present (validated when the connection was saved). */
  public String secret(String name) {
    String value = credentials.getString(name);
    if (value == null) {
      throw new IllegalStateException("connection " + id + " has no " + name);
    }
    return value;
  }
}
