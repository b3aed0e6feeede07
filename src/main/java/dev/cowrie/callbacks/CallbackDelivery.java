package dev.cowrie.callbacks;

import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The command of {@link CallbackAddresses#RECEIVE}: a provider's callback as it reached
 * {@code POST /v1/callbacks/{connection}}, its raw bytes untouched (signatures are over them) and
 * its header names in lower case.
 */
public record CallbackDelivery(String connectionId, Map<String, String> headers, byte[] body) {

  public CallbackDelivery {
    Objects.requireNonNull(connectionId, "connectionId");
    TreeMap<String, String> lower = new TreeMap<>();
    headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
    headers = Map.copyOf(lower);
    body = body == null ? new byte[0] : body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  public JsonObject toJson() {
    JsonObject names = new JsonObject();
    headers.forEach(names::put);
    return new JsonObject().put("connection_id", connectionId).put("headers", names)
        .put("body", Base64.getEncoder().encodeToString(body));
  }

  public static CallbackDelivery fromJson(JsonObject json) {
    TreeMap<String, String> headers = new TreeMap<>();
    json.getJsonObject("headers").forEach(entry -> headers.put(entry.getKey(), String.valueOf(entry.getValue())));
    return new CallbackDelivery(json.getString("connection_id"), headers, Base64.getDecoder().decode(json.getString("body")));
  }
}
