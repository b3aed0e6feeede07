package dev.cowrie.payments;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Input;
import dev.cowrie.common.Money;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.http.Call;
import dev.cowrie.http.HttpVerticle;
import dev.cowrie.http.Reply;
import dev.cowrie.ledger.LedgerAddresses;
import dev.cowrie.providers.Connections;
import dev.cowrie.providers.ProviderAddresses;
import dev.cowrie.providers.ProviderRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Set;

/** Payments, refunds, balance and provider connections over HTTP: validation here, work in the verticles. */
public final class PaymentRoutes implements HttpVerticle.Routes {
  private static final Set<String> CREATE_FIELDS = Set.of("amount", "currency", "customer", "description", "reference",
      "provider", "return_url", "metadata");
  private final long timeoutMs;
  private final long providerTimeoutMs;
  private final ProviderRegistry registry;

  public PaymentRoutes(CowrieConfig config, ProviderRegistry registry) {
    this.timeoutMs = config.number("bus", "request_timeout_ms");
    // Creation may try several providers in turn, each within its own timeout.
    this.providerTimeoutMs = timeoutMs * 4;
    this.registry = registry;
  }

  @Override
  public void mount(Api api) {
    api.postRecorded("/v1/payments", Access.SECRET, call -> send(api, PaymentAddresses.CREATE, createCommand(call), providerTimeoutMs)
        .map(Reply::created));
    api.get("/v1/payments", Access.SECRET, call -> {
      String status = call.query("status");
      if (status != null && !Transitions.STATUSES.contains(status)) {
        throw CowrieError.invalid("status", "status must be one of " + String.join(", ", new java.util.TreeSet<>(Transitions.STATUSES)) + ".");
      }
      return send(api, PaymentAddresses.LIST, call.command(new JsonObject().put("status", status)
          .put("reference", call.query("reference")).put("page", call.page().toJson())), timeoutMs).map(Reply::ok);
    });
    api.get("/v1/payments/:id", Access.SECRET, call -> send(api, PaymentAddresses.GET, byId(call), timeoutMs).map(Reply::ok));
    api.post("/v1/payments/:id/cancel", Access.SECRET, call -> send(api, PaymentAddresses.CANCEL, byId(call), timeoutMs).map(Reply::ok));
    api.post("/v1/payments/:id/verify", Access.SECRET, call -> send(api, PaymentAddresses.VERIFY, byId(call), providerTimeoutMs).map(Reply::ok));
    api.post("/v1/refunds", Access.SECRET, call -> {
      JsonObject body = call.body();
      Input.onlyKnown(body, Set.of("payment", "amount", "reason"));
      JsonObject command = call.command(new JsonObject().put("payment", Input.string(body, "payment", 64))
          .put("amount", Input.optionalAmount(body, "amount")).put("reason", Input.optionalString(body, "reason", 500))
          .put("idempotency_key", call.header("Idempotency-Key")));
      return send(api, PaymentAddresses.REFUND, command, providerTimeoutMs).map(Reply::created);
    });
    api.get("/v1/refunds/:id", Access.SECRET, call -> send(api, PaymentAddresses.GET_REFUND, byId(call), timeoutMs).map(Reply::ok));
    api.get("/v1/balance", Access.SECRET, call -> send(api, LedgerAddresses.BALANCE, call.command(new JsonObject()), timeoutMs).map(Reply::ok));
    api.put("/v1/provider_connections/:provider", Access.SECRET, call -> send(api, ProviderAddresses.SAVE_CONNECTION,
        connectionCommand(call), timeoutMs).map(Reply::ok));
    api.get("/v1/provider_connections", Access.SECRET, call -> send(api, ProviderAddresses.LIST_CONNECTIONS,
        call.command(new JsonObject()), timeoutMs).map(Reply::ok));
  }

  private static JsonObject byId(Call call) {
    return call.command(new JsonObject().put("id", call.path("id")));
  }

  private JsonObject createCommand(Call call) {
    JsonObject body = call.body();
    Input.onlyKnown(body, CREATE_FIELDS);
    long amount = Input.amount(body, "amount");
    String currency = Input.currency(body, "currency");
    String provider = Input.optionalString(body, "provider", 40);
    if (provider != null && registry.find(provider).isEmpty()) {
      throw Connections.unknownProvider(provider, registry.names());
    }
    JsonObject customer = Input.optionalObject(body, "customer");
    if (customer != null && customer.getValue("email") != null) {
      Input.email(customer, "email");
    }
    JsonObject metadata = Input.optionalObject(body, "metadata");
    if (metadata != null && metadata.encode().length() > 8192) {
      throw CowrieError.invalid("metadata", "metadata must be at most 8 KiB of JSON.");
    }
    return call.command(new JsonObject()
        .put("amount", new Money(amount, currency).amount())
        .put("currency", currency)
        .put("provider", provider)
        .put("customer", customer)
        .put("description", Input.optionalString(body, "description", 1000))
        .put("reference", Input.optionalString(body, "reference", 200))
        .put("return_url", url(body, "return_url"))
        .put("metadata", metadata)
        .put("idempotency_key", call.header("Idempotency-Key")));
  }

  private JsonObject connectionCommand(Call call) {
    String provider = call.path("provider");
    if (registry.find(provider).isEmpty()) {
      throw Connections.unknownProvider(provider, registry.names());
    }
    JsonObject body = call.body();
    Input.onlyKnown(body, Set.of("credentials", "currencies", "priority", "enabled", "api_base"));
    JsonArray currencies = Input.optionalArray(body, "currencies");
    if (currencies != null) {
      for (Object code : currencies) {
        if (!(code instanceof String text) || !Money.isCurrency(text)) {
          throw new CowrieError(dev.cowrie.common.ErrorCode.INVALID_CURRENCY,
              "currencies must hold ISO 4217 codes in upper case; got " + code + ".", "currencies");
        }
      }
    }
    JsonObject credentials = Input.optionalObject(body, "credentials");
    return call.command(new JsonObject().put("provider", provider)
        .put("credentials", credentials == null ? new JsonObject() : credentials)
        .put("currencies", currencies == null ? new JsonArray() : currencies)
        .put("priority", Input.optionalInteger(body, "priority", -1000, 1000))
        .put("enabled", Input.optionalBoolean(body, "enabled"))
        .put("api_base", url(body, "api_base")));
  }

  private static String url(JsonObject body, String field) {
    String value = Input.optionalString(body, field, 2048);
    if (value == null) {
      return null;
    }
    try {
      URI uri = URI.create(value);
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      throw CowrieError.invalid(field, field + " must be an absolute http(s) URL.");
    }
    return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
  }

  private Future<JsonObject> send(Api api, String address, JsonObject command, long timeout) {
    return Bus.request(api.vertx(), address, command, timeout);
  }
}
