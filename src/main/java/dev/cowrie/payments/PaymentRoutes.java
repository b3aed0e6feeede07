package dev.cowrie.payments;

import dev.cowrie.common.Bus;
import dev.cowrie.common.CowrieError;
import dev.cowrie.common.Input;
import dev.cowrie.config.CowrieConfig;
import dev.cowrie.config.Timeouts;
import dev.cowrie.events.EventAddresses;
import dev.cowrie.http.Access;
import dev.cowrie.http.Api;
import dev.cowrie.http.Call;
import dev.cowrie.http.Reply;
import dev.cowrie.http.Routes;
import dev.cowrie.ledger.LedgerAddresses;
import dev.cowrie.providers.Connections;
import dev.cowrie.providers.ProviderRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** Payments, refunds and balance over HTTP: validation here, work in the verticles. */
public final class PaymentRoutes implements Routes {
  private static final Set<String> CREATE_FIELDS = Set.of("amount", "currency", "customer", "description", "reference",
      "provider", "return_url", "metadata");
  private final long timeoutMs;
  private final long providerTimeoutMs;
  private final long creationTimeoutMs;
  private final ProviderRegistry registry;

  public PaymentRoutes(CowrieConfig config, ProviderRegistry registry) {
    Timeouts timeouts = Timeouts.of(config);
    this.timeoutMs = timeouts.commandMs();
    this.providerTimeoutMs = timeouts.withProviderCallMs();
    this.creationTimeoutMs = timeouts.creationMs();
    this.registry = registry;
  }

  @Override
  public void mount(Api api) {
    api.postRecorded("/v1/payments", Access.SECRET, call -> send(api, PaymentAddresses.CREATE, createCommand(call), creationTimeoutMs)
        .map(Reply::created));
    api.get("/v1/payments", Access.SECRET, call -> {
      PaymentFilter filter = PaymentFilter.parse(call::query, registry.names());
      return send(api, PaymentAddresses.LIST, call.command(new JsonObject().put("filter", filter.toJson())
          .put("page", call.page().toJson())), timeoutMs).map(Reply::ok);
    });
    api.get("/v1/payments/:id", Access.SECRET, call -> send(api, PaymentAddresses.GET, byId(call), timeoutMs).map(Reply::ok));
    api.get("/v1/payments/:id/ledger_entries", Access.SECRET,
        call -> send(api, PaymentAddresses.LEDGER_ENTRIES, byId(call), timeoutMs).map(Reply::ok));
    // The payment answers first, so an unknown or foreign payment is a 404 rather than an empty list.
    api.get("/v1/payments/:id/events", Access.SECRET, call -> send(api, PaymentAddresses.GET, byId(call), timeoutMs)
        .compose(payment -> send(api, EventAddresses.OF_PAYMENT, call.command(new JsonObject().put("payment", payment.getString("id"))),
            timeoutMs)).map(Reply::ok));
    api.post("/v1/payments/:id/cancel", Access.SECRET, call -> send(api, PaymentAddresses.CANCEL, byId(call), timeoutMs).map(Reply::ok));
    api.post("/v1/payments/:id/verify", Access.SECRET, call -> send(api, PaymentAddresses.VERIFY, byId(call), providerTimeoutMs).map(Reply::ok));
    api.postRecorded("/v1/refunds", Access.SECRET, call -> {
      JsonObject body = call.body();
      Input.onlyKnown(body, Set.of("payment", "amount", "reason"));
      RefundCreate refund = new RefundCreate(call.principal(), call.requestId(), Input.string(body, "payment", 64),
          Input.optionalAmount(body, "amount"), Input.optionalString(body, "reason", 500), call.header("Idempotency-Key"));
      return send(api, PaymentAddresses.REFUND, call.command(refund.toJson()), providerTimeoutMs).map(Reply::created);
    });
    api.get("/v1/refunds/:id", Access.SECRET, call -> send(api, PaymentAddresses.GET_REFUND, byId(call), timeoutMs).map(Reply::ok));
    api.get("/v1/balance", Access.SECRET, call -> send(api, LedgerAddresses.BALANCE, call.command(new JsonObject()), timeoutMs).map(Reply::ok));
  }

  private static JsonObject byId(Call call) {
    return call.command(new PaymentById(call.principal(), call.path("id")).toJson());
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
    PaymentCreate.Details details = new PaymentCreate.Details(customer, Input.optionalString(body, "description", 1000),
        Input.optionalString(body, "reference", 200), Input.optionalHttpUrl(body, "return_url"), metadata);
    // Call#command adds the request's record (its key's claim and audit row) to the record's own fields.
    return call.command(PaymentCreate.of(call.principal(), call.requestId(), call.header("Idempotency-Key"), amount, currency)
        .on(provider).with(details).toJson());
  }

  private Future<JsonObject> send(Api api, String address, JsonObject command, long timeout) {
    return Bus.request(api.vertx(), address, command, timeout);
  }
}
