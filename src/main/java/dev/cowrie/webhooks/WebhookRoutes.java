package dev.cowrie.webhooks;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Input;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.events.EventTypes;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.http.Call;
import dev.cowrie.http.Reply;
import dev.cowrie.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Set;

/** Webhook endpoints, their deliveries, and redelivery of an event (API.md "merchant webhooks"). */
public final class WebhookRoutes implements Routes {
  private static final int EVENTS_MAX = 32;
  private final long timeoutMs;

  public WebhookRoutes(CowrieConfig config) {
    this.timeoutMs = config.bus().requestTimeoutMs();
  }

  @Override
  public void mount(Api api) {
    api.post("/v1/webhook_endpoints", Access.SECRET, call -> {
      JsonObject body = call.body();
      Input.onlyKnown(body, Set.of("url", "events", "description", "enabled"));
      JsonObject command = new JsonObject()
          .put("url", url(Input.string(body, "url", UrlGuard.URL_LENGTH_MAX)))
          .put("events", events(body, true))
          .put("description", Input.optionalString(body, "description", 500))
          .put("enabled", Input.optionalBoolean(body, "enabled"));
      return send(api, WebhookAddresses.CREATE_ENDPOINT, call, command).map(Reply::created);
    });
    api.get("/v1/webhook_endpoints", Access.SECRET, call -> send(api, WebhookAddresses.LIST_ENDPOINTS, call,
        new JsonObject().put("page", call.page().toJson())).map(Reply::ok));
    api.get("/v1/webhook_endpoints/:id", Access.SECRET, call -> send(api, WebhookAddresses.GET_ENDPOINT, call,
        new JsonObject().put("id", call.path("id"))).map(Reply::ok));
    api.post("/v1/webhook_endpoints/:id", Access.SECRET, call -> update(api, call));
    api.delete("/v1/webhook_endpoints/:id", Access.SECRET, call -> send(api, WebhookAddresses.DELETE_ENDPOINT, call,
        new JsonObject().put("id", call.path("id"))).map(Reply::ok));
    api.get("/v1/webhook_endpoints/:id/deliveries", Access.SECRET, call -> send(api, WebhookAddresses.LIST_DELIVERIES,
        call, new JsonObject().put("id", call.path("id")).put("page", call.page().toJson())).map(Reply::ok));
    api.post("/v1/webhook_endpoints/:id/test", Access.SECRET, call -> {
      Input.onlyKnown(call.body(), Set.of());
      return send(api, WebhookAddresses.SEND_TEST, call, new JsonObject().put("id", call.path("id"))).map(Reply::ok);
    });
    api.get("/v1/events/:id/deliveries", Access.SECRET, call -> send(api, WebhookAddresses.EVENT_DELIVERIES, call,
        new JsonObject().put("id", call.path("id")).put("page", call.page().toJson())).map(Reply::ok));
    api.post("/v1/events/:id/redeliver", Access.SECRET, call -> send(api, WebhookAddresses.REDELIVER, call,
        new JsonObject().put("id", call.path("id"))).map(Reply::ok));
  }

  private Future<Reply> update(Api api, Call call) {
    JsonObject body = call.body();
    Input.onlyKnown(body, Set.of("url", "events", "description", "enabled"));
    String url = Input.optionalString(body, "url", UrlGuard.URL_LENGTH_MAX);
    JsonObject command = new JsonObject()
        .put("id", call.path("id"))
        .put("url", url == null ? null : url(url))
        .put("events", events(body, false))
        .put("description", Input.optionalString(body, "description", 500))
        .put("enabled", Input.optionalBoolean(body, "enabled"));
    return send(api, WebhookAddresses.UPDATE_ENDPOINT, call, command).map(Reply::ok);
  }

  /** A webhook URL checked as the API checks it (the dashboard's form sends the same). */
  public static String url(String url) {
    return UrlGuard.parse(url.trim()).toString();
  }

  /** The subscribed types: known ones (API.md) or "*"; an unknown one is a 400 naming it. */
  public static JsonArray events(JsonObject body, boolean required) {
    JsonArray given = Input.optionalArray(body, "events");
    if (given == null) {
      if (required) {
        throw CowrieError.missing("events");
      }
      return null;
    }
    if (given.isEmpty() || given.size() > EVENTS_MAX) {
      throw CowrieError.invalid("events", "events must list 1 to " + EVENTS_MAX + " event types, or [\"*\"] for all.");
    }
    Set<String> types = new LinkedHashSet<>();
    for (Object type : given) {
      if (!(type instanceof String name) || !(EventTypes.isKnown(name) || EventTypes.ALL.equals(name))) {
        throw CowrieError.invalid("events", "Unknown event type " + (type instanceof String ? "'" + type + "'" : String.valueOf(type))
            + ". Known types: " + String.join(", ", EventTypes.KNOWN) + ", or * for all.");
      }
      types.add(name);
    }
    return new JsonArray(java.util.List.copyOf(types));
  }

  private Future<JsonObject> send(Api api, String address, Call call, JsonObject command) {
    return Bus.request(api.vertx(), address, call.command(command), timeoutMs);
  }
}
