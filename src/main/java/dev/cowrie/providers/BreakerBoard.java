package dev.cowrie.providers;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import java.util.List;
import java.util.Locale;

/**
 * The circuit breakers' live states on this node ({@link ProviderAddresses#BREAKERS}). Each
 * ProviderVerticle instance keeps its own breaker per connection, so a connection's state is the
 * worst of its instances': open, then half-open, then closed (also when no call was made yet).
 * A shared local map carries the state changes; it holds only breakers that are not closed.
 */
final class BreakerBoard {
  // A shared-data map of this node, not a bus address.
  private static final String MAP = "provider-breaker-states";
  static final int CONNECTIONS_MAX = 32;

  /** How the API and the dashboard spell a state, worst last. */
  enum State {
    CLOSED, HALF_OPEN, OPEN;

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private BreakerBoard() {}

  /** Records {@code breaker}'s changes under {@code connectionId} for the instance named {@code instance}. */
  static CircuitBreaker watch(Vertx vertx, CircuitBreaker breaker, String connectionId, String instance) {
    LocalMap<String, String> states = vertx.sharedData().getLocalMap(MAP);
    String key = connectionId + "/" + instance;
    return breaker.openHandler(opened -> states.put(key, State.OPEN.name()))
        .halfOpenHandler(trying -> states.put(key, State.HALF_OPEN.name()))
        .closeHandler(closed -> states.remove(key));
  }

  /** An undeployed instance's breakers are gone with it. */
  static void forget(Vertx vertx, String instance) {
    LocalMap<String, String> states = vertx.sharedData().getLocalMap(MAP);
    states.keySet().stream().filter(key -> key.endsWith("/" + instance)).toList().forEach(states::remove);
  }

  /** {"connections": [ids]} → {"data": [{"connection", "state"}]}, in the order asked. */
  static JsonObject states(Vertx vertx, JsonObject query) {
    LocalMap<String, String> states = vertx.sharedData().getLocalMap(MAP);
    List<String> ids = query.getJsonArray("connections", new JsonArray()).stream().map(String.class::cast)
        .distinct().limit(CONNECTIONS_MAX).toList();
    JsonArray data = new JsonArray();
    for (String id : ids) {
      State worst = State.CLOSED;
      for (var entry : states.entrySet()) {
        State state = State.valueOf(entry.getValue());
        if (entry.getKey().startsWith(id + "/") && state.compareTo(worst) > 0) {
          worst = state;
        }
      }
      data.add(new JsonObject().put("connection", id).put("state", worst.wire()));
    }
    return new JsonObject().put("data", data);
  }
}
