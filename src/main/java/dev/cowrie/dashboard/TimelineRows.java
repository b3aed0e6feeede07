package dev.cowrie.dashboard;

import dev.cowrie.http.PageCall;
import dev.cowrie.callbacks.CallbackAddresses;
import dev.cowrie.events.EventAddresses;
import dev.cowrie.webhooks.WebhookAddresses;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One line of a payment's timeline, oldest first: provider attempts (answer and latency), callbacks
 * the provider sent, status changes (the payment's and its refunds' events) and the webhook
 * deliveries of those events, each read through its public route.
 */
public record TimelineRows(String at, String kind, String title, String detail, String link, String state) {
  /** Deliveries are looked up per event; a payment's events are few, but the page stays bounded. */
  static final int EVENTS_WITH_DELIVERIES_MAX = 20;

  static Future<List<TimelineRows>> of(Dashboard dashboard, PageCall call, JsonObject payment) {
    // The payment was found under this user's merchant and mode, which is the first step of both routes.
    JsonObject ofPayment = new JsonObject().put("payment", payment.getString("id"));
    Future<JsonObject> events = dashboard.as(call, HttpMethod.GET, "/v1/payments/:id/events", EventAddresses.OF_PAYMENT, ofPayment);
    Future<JsonObject> callbacks = dashboard.as(call, HttpMethod.GET, "/v1/payments/:id/provider_events",
        CallbackAddresses.OF_PAYMENT, ofPayment);
    return Future.all(events, callbacks).compose(both -> deliveries(dashboard, call, Dashboard.objects(events.result().getJsonArray("data")))
        .map(deliveries -> {
          List<TimelineRows> rows = new ArrayList<>();
          Dashboard.objects(payment.getJsonArray("attempts")).forEach(attempt -> rows.add(attempt(attempt)));
          Dashboard.objects(callbacks.result().getJsonArray("data")).forEach(callback -> rows.add(callback(callback)));
          Dashboard.objects(events.result().getJsonArray("data")).forEach(event -> rows.add(event(event)));
          deliveries.forEach(delivery -> rows.add(delivery(delivery)));
          rows.sort(Comparator.comparing(row -> Instant.parse(row.at())));
          return rows;
        }));
  }

  private static Future<List<JsonObject>> deliveries(Dashboard dashboard, PageCall call, List<JsonObject> events) {
    List<Future<JsonObject>> lists = events.stream().limit(EVENTS_WITH_DELIVERIES_MAX)
        .map(event -> dashboard.as(call, HttpMethod.GET, "/v1/events/:id/deliveries", WebhookAddresses.EVENT_DELIVERIES,
            new JsonObject().put("id", event.getString("id")).put("page", new JsonObject().put("limit", 20))))
        .toList();
    return Future.all(lists).map(all -> lists.stream().flatMap(list -> Dashboard.objects(list.result().getJsonArray("data")).stream())
        .toList());
  }

  private static TimelineRows attempt(JsonObject attempt) {
    Integer latency = attempt.getInteger("latency_ms");
    Integer http = attempt.getInteger("http_status");
    String error = attempt.getString("error_message");
    String detail = (http == null ? "no HTTP answer" : "HTTP " + http) + (latency == null ? "" : " · " + latency + " ms")
        + (error == null ? "" : " · " + error);
    return new TimelineRows(attempt.getString("created_at"), "attempt",
        "Provider call " + attempt.getString("operation", "") + " on " + attempt.getString("provider", "") + ": "
            + attempt.getString("outcome", ""), detail, "", attempt.getString("outcome", ""));
  }

  private static TimelineRows callback(JsonObject callback) {
    String note = callback.getString("note");
    return new TimelineRows(callback.getString("received_at"), "provider_event",
        callback.getString("provider") + " sent " + callback.getString("type"), callback.getString("status")
            + (note == null ? "" : " · " + note), "", callback.getString("status"));
  }

  private static TimelineRows event(JsonObject event) {
    JsonObject object = event.getJsonObject("data", new JsonObject()).getJsonObject("object", new JsonObject());
    String status = object.getString("status", "");
    return new TimelineRows(event.getString("created_at"), "status", event.getString("type"),
        object.getString("object", "") + " " + object.getString("id", "") + (status.isEmpty() ? "" : " is " + status),
        "/dashboard/developers/events/" + event.getString("id"), status);
  }

  private static TimelineRows delivery(JsonObject delivery) {
    JsonArray attempts = delivery.getJsonArray("attempts", new JsonArray());
    JsonObject last = attempts.isEmpty() ? null : attempts.getJsonObject(0);
    Integer code = delivery.getInteger("last_status_code");
    String detail = (code == null ? "no answer yet" : "HTTP " + code)
        + (last == null || last.getValue("latency_ms") == null ? "" : " · " + last.getValue("latency_ms") + " ms")
        + " · " + delivery.getInteger("attempt_count", 0) + " attempt(s)";
    String at = last != null && last.getString("attempted_at") != null ? last.getString("attempted_at") : delivery.getString("created_at");
    return new TimelineRows(at, "webhook", "Webhook " + delivery.getString("event_type") + " to " + delivery.getString("endpoint")
        + ": " + delivery.getString("status"), detail, "/dashboard/developers/webhooks/" + delivery.getString("endpoint"),
        delivery.getString("status"));
  }
}
