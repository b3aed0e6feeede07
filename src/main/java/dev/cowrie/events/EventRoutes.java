package dev.cowrie.events;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.http.Reply;
import dev.cowrie.http.Routes;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/** {@code GET /v1/events}, {@code GET /v1/events/{id}}, the live WebSocket stream and the SockJS bridge. */
public final class EventRoutes implements Routes {
  private final Clock clock;
  private final CowrieConfig config;
  private final long timeoutMs;

  public EventRoutes(CowrieConfig config, Clock clock) {
    this.clock = clock;
    this.config = config;
    this.timeoutMs = config.bus().requestTimeoutMs();
  }

  @Override
  public void mount(Api api) {
    // Before /v1/events/:id, which would otherwise take "stream" for an id.
    new EventStream(api, config, clock).mount();
    new EventBridge(api, config, clock).mount();
    api.get("/v1/events", Access.SECRET, call -> {
      String type = call.query("type");
      if (type != null && !EventTypes.isKnown(type)) {
        throw CowrieError.invalid("type", "Unknown event type '" + type + "'.");
      }
      return Bus.<JsonObject>request(api.vertx(), EventAddresses.LIST,
          call.command(new JsonObject().put("page", call.page().toJson()).put("type", type)), timeoutMs).map(Reply::ok);
    });
    api.get("/v1/events/:id", Access.SECRET, call -> Bus.<JsonObject>request(api.vertx(), EventAddresses.GET,
        call.command(new JsonObject().put("id", call.path("id"))), timeoutMs).map(Reply::ok));
  }
}
