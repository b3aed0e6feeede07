package dev.cowrie.callbacks;

import io.vertx.core.json.JsonObject;

/**
 * The reply of {@link CallbackAddresses#RECEIVE}, and the provider's 200: we have the event.
 * {@code duplicate}: it was stored and applied before; {@code orphaned}: no payment of ours matches it.
 */
record CallbackAnswer(boolean duplicate, boolean orphaned) {
  static final CallbackAnswer RECEIVED = new CallbackAnswer(false, false);

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("received", true);
    if (duplicate) {
      json.put("duplicate", true);
    }
    return orphaned ? json.put("orphaned", true) : json;
  }
}
