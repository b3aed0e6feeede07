package dev.cowrie.providers;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.ErrorCode;
import dev.cowrie.common.Input;
import dev.cowrie.common.Money;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.http.Call;
import dev.cowrie.http.Reply;
import dev.cowrie.http.Routes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** A merchant's provider connections over HTTP: validation here, the work in ConnectionsVerticle. */
public final class ConnectionRoutes implements Routes {
  private final long timeoutMs;
  private final ProviderRegistry registry;

  public ConnectionRoutes(CowrieConfig config, ProviderRegistry registry) {
    this.timeoutMs = config.bus().requestTimeoutMs();
    this.registry = registry;
  }

  @Override
  public void mount(Api api) {
    api.put("/v1/provider_connections/:provider", Access.SECRET, call -> Bus.<JsonObject>request(api.vertx(),
        ProviderAddresses.SAVE_CONNECTION, connectionCommand(call), timeoutMs).map(Reply::ok));
    api.get("/v1/provider_connections", Access.SECRET, call -> Bus.<JsonObject>request(api.vertx(),
        ProviderAddresses.LIST_CONNECTIONS, call.command(new JsonObject()), timeoutMs).map(Reply::ok));
  }

  private JsonObject connectionCommand(Call call) {
    String provider = call.path("provider");
    if (registry.find(provider).isEmpty()) {
      throw Connections.unknownProvider(provider, registry.names());
    }
    return call.command(command(provider, call.body()));
  }

  /** The save command of a PUT body, checked as the API checks it (the dashboard's Providers form sends the same). */
  public static JsonObject command(String provider, JsonObject body) {
    Input.onlyKnown(body, Set.of("credentials", "currencies", "priority", "enabled", "api_base"));
    JsonArray currencies = Input.optionalArray(body, "currencies");
    if (currencies != null) {
      for (Object code : currencies) {
        if (!(code instanceof String text) || !Money.isCurrency(text)) {
          throw new CowrieError(ErrorCode.INVALID_CURRENCY,
              "currencies must hold ISO 4217 codes in upper case; got " + code + ".", "currencies");
        }
      }
    }
    return new JsonObject().put("provider", provider)
        .put("credentials", Input.optionalObject(body, "credentials"))
        .put("currencies", currencies == null ? new JsonArray() : currencies)
        .put("priority", Input.optionalInteger(body, "priority", -1000, 1000))
        .put("enabled", Input.optionalBoolean(body, "enabled"))
        .put("api_base", Input.optionalHttpUrl(body, "api_base"));
  }
}
