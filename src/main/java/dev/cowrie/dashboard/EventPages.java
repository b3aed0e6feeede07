package dev.cowrie.dashboard;

import dev.cowrie.common.CowrieError;
import dev.cowrie.events.EventAddresses;
import dev.cowrie.events.EventTypes;
import dev.cowrie.http.Api;
import dev.cowrie.http.PageCall;
import dev.cowrie.http.Reply;
import dev.cowrie.webhooks.WebhookAddresses;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The events explorer under Developers: the merchant's events newest first ({@code GET /v1/events},
 * a type filter and cursor pages) and one event's page with its JSON and its webhook deliveries
 * ({@code GET /v1/events/{id}}, {@code GET /v1/events/{id}/deliveries}).
 */
final class EventPages {
  static final String PATH = "/dashboard/developers/events";
  private static final int PAGE_ROWS = 25;
  private final Dashboard dashboard;

  EventPages(Dashboard dashboard) {
    this.dashboard = dashboard;
  }

  void mount(Api api) {
    api.pages().get(PATH, call -> dashboard.signedIn(call, (c, user) -> list(c)));
    api.pages().get(PATH + "/:id", call -> dashboard.signedIn(call, (c, user) -> event(c)));
  }

  private Future<Reply> list(PageCall call) {
    String type = blank(call.query("type"));
    String after = blank(call.query("starting_after"));
    Map<String, Object> params = new HashMap<>();
    params.put("types", EventTypes.KNOWN);
    params.put("type", type == null ? "" : type);
    params.put("error", "");
    Future<JsonObject> listed = type != null && !EventTypes.isKnown(type)
        ? Future.failedFuture(CowrieError.invalid("type", "Unknown event type '" + type + "'."))
        : dashboard.as(call, HttpMethod.GET, "/v1/events", EventAddresses.LIST, new JsonObject().put("type", type)
            .put("page", new JsonObject().put("limit", PAGE_ROWS).put("starting_after", after)));
    return listed.map(list -> {
      List<JsonObject> events = Dashboard.objects(list.getJsonArray("data"));
      params.put("events", events);
      params.put("next", list.getBoolean("has_more") && !events.isEmpty() ? PATH + "?" + (type == null ? ""
          : "type=" + URLEncoder.encode(type, StandardCharsets.UTF_8) + "&") + "starting_after=" + events.get(events.size() - 1).getString("id") : "");
      return call.view("dashboard/events.jte", Dashboard.frame(call, "developers", "Events", params));
    }).recover(failure -> {
      params.putAll(Dashboard.error(failure));
      params.put("events", List.of());
      params.put("next", "");
      return Future.succeededFuture(call.view(400, "dashboard/events.jte", Dashboard.frame(call, "developers", "Events", params)));
    });
  }

  private Future<Reply> event(PageCall call) {
    JsonObject byId = new JsonObject().put("id", call.path("id"));
    return dashboard.as(call, HttpMethod.GET, "/v1/events/:id", EventAddresses.GET, byId)
        .compose(event -> dashboard.as(call, HttpMethod.GET, "/v1/events/:id/deliveries", WebhookAddresses.EVENT_DELIVERIES,
                byId.copy().put("page", new JsonObject().put("limit", 50)))
            .map(deliveries -> call.view("dashboard/event.jte", Dashboard.frame(call, "developers", "Event " + event.getString("id"),
                Map.of("event", event, "payload", event.encodePrettily(), "objectLink", objectLink(event),
                    "deliveries", Dashboard.objects(deliveries.getJsonArray("data")))))));
  }

  /** Where the dashboard shows the event's object, when it has a page for it. */
  private static String objectLink(JsonObject event) {
    JsonObject object = event.getJsonObject("data", new JsonObject()).getJsonObject("object", new JsonObject());
    String payment = "payment".equals(object.getString("object")) ? object.getString("id")
        : "refund".equals(object.getString("object")) ? object.getString("payment") : null;
    return payment == null ? "" : "/dashboard/payments/" + payment;
  }

  private static String blank(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
