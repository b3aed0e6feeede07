package dev.cowrie.providers;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** A provider's HTTP answer. */
public record HttpAnswer(int status, Buffer body) {

  /** The body as a JSON object, or {@link MalformedAnswer}. */
  public JsonObject json() {
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException | NullPointerException e) {
      throw new MalformedAnswer("not a JSON object");
    }
  }

  public String text() {
    return body == null ? "" : body.toString();
  }
}
