package dev.cowrie.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** What an endpoint answers: a status and a JSON body, or raw bytes with their content type. */
public record Reply(int status, JsonObject json, Buffer raw, String contentType, Map<String, String> headers) {

  public static Reply ok(JsonObject json) {
    return new Reply(200, json, null, "application/json", Map.of());
  }

  public static Reply created(JsonObject json) {
    return new Reply(201, json, null, "application/json", Map.of());
  }

  public static Reply of(int status, JsonObject json) {
    return new Reply(status, json, null, "application/json", Map.of());
  }

  public static Reply raw(int status, String contentType, Buffer bytes) {
    return new Reply(status, null, bytes, contentType, Map.of());
  }

  public Reply withHeaders(Map<String, String> extra) {
    return new Reply(status, json, raw, contentType, extra);
  }

  public Buffer body() {
    return raw != null ? raw : json.toBuffer();
  }
}
