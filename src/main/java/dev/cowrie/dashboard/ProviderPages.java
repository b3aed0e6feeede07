package dev.cowrie.dashboard;

import dev.cowrie.common.CowrieError;
import dev.cowrie.http.Api;
import dev.cowrie.http.PageCall;
import dev.cowrie.http.Pages;
import dev.cowrie.http.Reply;
import dev.cowrie.payments.PaymentAddresses;
import dev.cowrie.providers.ConnectionRoutes;
import dev.cowrie.providers.ConnectionForm;
import dev.cowrie.providers.ProviderAddresses;
import dev.cowrie.security.Principal;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Providers: the merchant's connections in the current mode, with each one's callback URL and
 * health (calls of the last hour from payments' attempt log), a form per provider to connect it
 * with its own credentials, and enable/disable/priority without re-entering them.
 */
public final class ProviderPages {
  static final String PATH = "/dashboard/providers";
  private static final String SAVE = "/v1/provider_connections/:provider";

  /** A provider's connect form (as its adapter describes it) with the provider's name, for the page. */
  public record Form(String provider, String title, String help, List<ConnectionForm.Field> fields) {}

  private final Dashboard dashboard;
  /** Each provider's connect form, as its adapter describes it (providers/ConnectionForm). */
  private final List<Form> forms;

  ProviderPages(Dashboard dashboard, Map<String, ConnectionForm> connectionForms) {
    this.dashboard = dashboard;
    this.forms = connectionForms.entrySet().stream()
        .map(entry -> new Form(entry.getKey(), entry.getValue().title(), entry.getValue().help(), entry.getValue().fields()))
        .toList();
  }

  void mount(Api api) {
    Pages pages = api.pages();
    pages.get(PATH, call -> dashboard.signedIn(call, (c, user) -> list(c, user, Map.of())));
    pages.post(PATH + "/:provider/connect", call -> dashboard.signedIn(call, (c, user) -> connect(c, user)));
    pages.post(PATH + "/:provider/settings", call -> dashboard.signedIn(call, (c, user) -> settings(c, user)));
  }

  private Future<Reply> list(PageCall call, Principal user, Map<String, Object> extra) {
    return dashboard.as(call, HttpMethod.GET, "/v1/provider_connections", ProviderAddresses.LIST_CONNECTIONS, new JsonObject())
        .compose(list -> {
          List<JsonObject> connections = Dashboard.objects(list.getJsonArray("data"));
          JsonArray ids = new JsonArray(connections.stream().map(c -> c.getString("id")).toList());
          // The ids are the merchant's own, from the list the API just gave: health and breakers are read for those only.
          Future<JsonObject> health = dashboard.send(PaymentAddresses.CONNECTION_HEALTH, call.command(new JsonObject().put("connections", ids)));
          Future<JsonObject> breakers = dashboard.send(ProviderAddresses.BREAKERS, call.command(new JsonObject().put("connections", ids)));
          return Future.all(health, breakers)
              .map(both -> {
                Map<String, String> breakerOf = new HashMap<>();
                Dashboard.objects(breakers.result().getJsonArray("data")).forEach(b -> breakerOf.put(b.getString("connection"), b.getString("state")));
                Map<String, JsonObject> byConnection = new HashMap<>();
                Dashboard.objects(health.result().getJsonArray("data")).forEach(h -> byConnection.put(h.getString("connection"),
                    h.copy().put("breaker", breakerOf.getOrDefault(h.getString("connection"), "closed"))));
                connections.forEach(c -> byConnection.computeIfPresent(c.getString("id"), (id, h) -> judged(c, h)));
                Map<String, Object> params = new HashMap<>(extra);
                params.put("connections", connections);
                params.put("health", byConnection);
                params.put("forms", forms);
                params.put("change", Dashboard.may(user, HttpMethod.PUT, SAVE));
                return view(call, params);
              });
        });
  }

  /** Connects (or replaces the credentials of) one provider: its own fields, plus currencies and an optional API base. */
  private Future<Reply> connect(PageCall call, Principal user) {
    String provider = call.path("provider");
    Form form = forms.stream().filter(f -> f.provider().equals(provider)).findFirst().orElse(null);
    JsonObject command;
    try {
      if (form == null) {
        throw CowrieError.invalid("provider", "Unknown provider '" + provider + "'.");
      }
      JsonObject credentials = new JsonObject();
      for (ConnectionForm.Field field : form.fields()) {
        String value = call.form(field.name());
        if (value != null && !value.isBlank()) {
          credentials.put(field.name(), value.trim());
        }
      }
      command = ConnectionRoutes.command(provider, new JsonObject().put("credentials", credentials)
          .put("currencies", currencies(call.form("currencies"))).put("priority", priority(call.form("priority")))
          .put("enabled", true).put("api_base", blankToNull(call.form("api_base"))));
    } catch (CowrieError invalid) {
      return list(call, user, failed(invalid, provider));
    }
    return save(call, user, command, form.title() + " connected.", provider);
  }

  /** Enable/disable and priority; the stored credentials, currencies and API base stay as they are. */
  private Future<Reply> settings(PageCall call, Principal user) {
    String provider = call.path("provider");
    return dashboard.as(call, HttpMethod.GET, "/v1/provider_connections", ProviderAddresses.LIST_CONNECTIONS, new JsonObject())
        .compose(list -> {
          JsonObject current = Dashboard.objects(list.getJsonArray("data")).stream()
              .filter(c -> provider.equals(c.getString("provider"))).findFirst()
              .orElseThrow(() -> CowrieError.notFound("provider connection", provider));
          JsonObject command = ConnectionRoutes.command(provider, new JsonObject()
              .put("currencies", current.getJsonArray("currencies"))
              .put("priority", priority(call.form("priority")))
              .put("enabled", "true".equals(call.form("enabled")))
              .put("api_base", current.getString("api_base")));
          return dashboard.as(call, HttpMethod.PUT, SAVE, ProviderAddresses.SAVE_CONNECTION, command);
        })
        .compose(saved -> list(call, user, Map.of("notice", "Saved " + provider + ": "
            + (saved.getBoolean("enabled") ? "enabled" : "disabled") + ", priority " + saved.getInteger("priority") + ".")))
        .recover(failure -> list(call, user, failed(failure, provider)));
  }

  private Future<Reply> save(PageCall call, Principal user, JsonObject command, String notice, String provider) {
    return dashboard.as(call, HttpMethod.PUT, SAVE, ProviderAddresses.SAVE_CONNECTION, command)
        .compose(saved -> list(call, user, Map.of("notice", notice)))
        .recover(failure -> list(call, user, failed(failure, provider)));
  }

  private static Map<String, Object> failed(Throwable failure, String provider) {
    Map<String, Object> params = new HashMap<>(Dashboard.error(failure));
    params.put("errorProvider", provider);
    return params;
  }

  private static JsonArray currencies(String given) {
    JsonArray codes = new JsonArray();
    if (given != null) {
      for (String code : given.split("[,\\s]+")) {
        if (!code.isBlank()) {
          codes.add(code.trim().toUpperCase(java.util.Locale.ROOT));
        }
      }
    }
    return codes;
  }

  private static Integer priority(String given) {
    if (given == null || given.isBlank()) {
      return 0;
    }
    try {
      return Integer.parseInt(given.trim());
    } catch (NumberFormatException notANumber) {
      throw CowrieError.invalid("priority", "priority must be a whole number from -1000 to 1000.");
    }
  }

  /**
   * Adds {@code state} (healthy, degraded, failing) and {@code rate} (the success rate as shown):
   * failing when the breaker is open now or the newest call found it open, the provider refused the credentials, or
   * fewer than half of the last hour's calls succeeded; degraded when some failed.
   */
  static JsonObject judged(JsonObject connection, JsonObject health) {
    long calls = health.getLong("calls");
    long succeeded = health.getLong("succeeded");
    String state;
    if ("open".equals(health.getString("breaker")) || health.getBoolean("circuit_open") || connection.getBoolean("flagged") || (calls > 0 && succeeded * 2 < calls)) {
      state = "failing";
    } else if (succeeded < calls) {
      state = "degraded";
    } else {
      state = "healthy";
    }
    return health.copy().put("state", state).put("rate", calls == 0 ? "no calls" : (succeeded * 100 / calls) + "% of " + calls + " calls");
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static Reply view(PageCall call, Map<String, Object> own) {
    Map<String, Object> params = new LinkedHashMap<>(own);
    params.putIfAbsent("error", "");
    params.putIfAbsent("errorField", "");
    params.putIfAbsent("errorProvider", "");
    params.putIfAbsent("notice", "");
    return call.view(own.containsKey("error") ? 422 : 200, "dashboard/providers.jte",
        Dashboard.frame(call, "providers", "Providers", params));
  }
}
