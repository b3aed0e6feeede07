package dev.cowrie.dashboard;

import dev.cowrie.common.CowrieError;
import dev.cowrie.events.EventTypes;
import dev.cowrie.http.Api;
import dev.cowrie.http.PageCall;
import dev.cowrie.http.Pages;
import dev.cowrie.http.Reply;
import dev.cowrie.security.Principal;
import dev.cowrie.webhooks.WebhookAddresses;
import dev.cowrie.webhooks.WebhookRoutes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Developers → Webhooks: endpoints (the signing secret shown once), each one's delivery log, redelivery by hand. */
final class WebhookPages {
  private final Dashboard dashboard;

  WebhookPages(Dashboard dashboard) {
    this.dashboard = dashboard;
  }

  void mount(Api api) {
    Pages pages = api.pages();
    pages.get("/dashboard/developers/webhooks", call -> dashboard.signedIn(call, (c, user) -> endpoints(c, Map.of())));
    pages.post("/dashboard/developers/webhooks", call -> dashboard.signedIn(call, (c, user) -> create(c)));
    pages.get("/dashboard/developers/webhooks/:id", call -> dashboard.signedIn(call, (c, user) -> deliveries(c, user, Map.of())));
    pages.post("/dashboard/developers/webhooks/:id/redeliver", call -> dashboard.signedIn(call, (c, user) -> dashboard.as(c,
            HttpMethod.POST, "/v1/events/:id/redeliver", WebhookAddresses.REDELIVER, new JsonObject().put("id", c.form("event")))
        .compose(done -> deliveries(c, user, Map.of("notice", "Sent again: the new attempt shows below once it is made.")))
        .recover(failure -> deliveries(c, user, Dashboard.error(failure)))));
    pages.post("/dashboard/developers/webhooks/:id/test", call -> dashboard.signedIn(call, (c, user) -> dashboard.as(c,
            HttpMethod.POST, "/v1/webhook_endpoints/:id/test", WebhookAddresses.SEND_TEST, new JsonObject().put("id", c.path("id")))
        .compose(sent -> deliveries(c, user, Map.of("notice", "Test event " + sent.getString("event") + " sent: its delivery shows below.")))
        .recover(failure -> deliveries(c, user, Dashboard.error(failure)))));
  }

  private Future<Reply> endpoints(PageCall call, Map<String, Object> extra) {
    return dashboard.as(call, HttpMethod.GET, "/v1/webhook_endpoints", WebhookAddresses.LIST_ENDPOINTS,
            new JsonObject().put("page", new JsonObject().put("limit", 100)))
        .map(list -> {
          Map<String, Object> params = new HashMap<>(extra);
          params.put("endpoints", Dashboard.objects(list.getJsonArray("data")));
          params.put("types", EventTypes.KNOWN);
          return view(call, "dashboard/webhooks.jte", "Webhooks", params);
        });
  }

  private Future<Reply> create(PageCall call) {
    JsonObject command;
    try {
      List<String> chosen = call.ctx().request().formAttributes().getAll("events");
      JsonArray events = new JsonArray(chosen.isEmpty() || chosen.contains(EventTypes.ALL) ? List.of(EventTypes.ALL) : List.copyOf(chosen));
      String url = call.form("url");
      if (url == null) {
        throw CowrieError.missing("url");
      }
      command = new JsonObject().put("url", WebhookRoutes.url(url))
          .put("events", WebhookRoutes.events(new JsonObject().put("events", events), true));
    } catch (CowrieError invalid) {
      return endpoints(call, Dashboard.error(invalid));
    }
    return dashboard.as(call, HttpMethod.POST, "/v1/webhook_endpoints", WebhookAddresses.CREATE_ENDPOINT, command)
        .compose(endpoint -> endpoints(call, Map.of("created", endpoint)))
        .recover(failure -> endpoints(call, Dashboard.error(failure)));
  }

  private Future<Reply> deliveries(PageCall call, Principal user, Map<String, Object> extra) {
    String id = call.path("id");
    Future<JsonObject> endpoint = dashboard.as(call, HttpMethod.GET, "/v1/webhook_endpoints/:id", WebhookAddresses.GET_ENDPOINT,
        new JsonObject().put("id", id));
    return endpoint.compose(found -> dashboard.as(call, HttpMethod.GET, "/v1/webhook_endpoints/:id/deliveries",
            WebhookAddresses.LIST_DELIVERIES, new JsonObject().put("id", id).put("page", new JsonObject().put("limit", 50))))
        .map(list -> {
          Map<String, Object> params = new HashMap<>(extra);
          params.put("endpoint", endpoint.result());
          params.put("deliveries", Dashboard.objects(list.getJsonArray("data")));
          params.put("redeliver", Dashboard.may(user, HttpMethod.POST, "/v1/events/:id/redeliver"));
          params.put("sendTest", Dashboard.may(user, HttpMethod.POST, "/v1/webhook_endpoints/:id/test"));
          return view(call, "dashboard/deliveries.jte", "Webhook deliveries", params);
        });
  }

  private static Reply view(PageCall call, String template, String title, Map<String, Object> own) {
    Map<String, Object> params = new HashMap<>(own);
    params.putIfAbsent("error", "");
    params.putIfAbsent("errorField", "");
    params.putIfAbsent("notice", "");
    return call.view(own.containsKey("error") ? 422 : 200, template, Dashboard.frame(call, "developers", title, params));
  }
}
